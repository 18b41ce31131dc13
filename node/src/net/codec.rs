//! A request-response codec for raw byte messages with size limits.
//!
//! Request-response opens one stream per request and closes the write side after each
//! message, so no length prefix is needed: read to the end, at most the limit.

use std::io;

use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::{StreamProtocol, request_response};

/// Raw bytes in both directions, each bounded.
#[derive(Debug, Clone)]
pub struct BytesCodec {
    max_request: u64,
    max_response: u64,
}

impl BytesCodec {
    /// A codec refusing requests over `max_request` bytes and responses over `max_response`.
    pub fn new(max_request: usize, max_response: usize) -> Self {
        Self {
            max_request: max_request as u64,
            max_response: max_response as u64,
        }
    }
}

async fn read_limited<T: AsyncRead + Unpin + Send>(io: &mut T, max: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    // One byte past the limit tells "exactly at the limit" from "too large".
    io.take(max + 1).read_to_end(&mut buf).await?;
    if buf.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "message exceeds size limit",
        ));
    }
    Ok(buf)
}

async fn write_limited<T: AsyncWrite + Unpin + Send>(
    io: &mut T,
    data: &[u8],
    max: u64,
) -> io::Result<()> {
    if data.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "message exceeds size limit",
        ));
    }
    io.write_all(data).await
}

impl request_response::Codec for BytesCodec {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_limited(io, self.max_request).await
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_limited(io, self.max_response).await
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        req: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        write_limited(io, &req, self.max_request).await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        res: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        write_limited(io, &res, self.max_response).await
    }
}
