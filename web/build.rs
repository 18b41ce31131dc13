//! The pages' strings and templates are read at compile time by macros, which do not
//! tell cargo about the files: without this, editing a `.ftl` file changes nothing
//! until some Rust file changes too.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=assets");
    for dir in ["locales", "templates", "assets"] {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            println!("cargo:rerun-if-changed={}", entry.path().display());
            for inner in std::fs::read_dir(entry.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                println!("cargo:rerun-if-changed={}", inner.path().display());
            }
        }
    }
}
