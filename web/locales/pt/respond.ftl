# Responder a um alerta ("Vou responder") e a visão de quem responde no painel.
respond-title = Você pode responder?
respond-count = { $count ->
    [0] Ninguém está respondendo ainda.
    [one] 1 pessoa está respondendo.
   *[other] { $count } pessoas estão respondendo.
}
respond-privacy = Sua resposta é assinada com a sua chave. Todos os nós da comunidade veem que a sua chave respondeu a este alerta. Os outros membros veem só quantas pessoas respondem; os organizadores veem as funções e os horários de chegada.
respond-role = Sua função
respond-role-legal-observer = Observador legal
respond-role-driver = Motorista
respond-role-interpreter = Intérprete
respond-role-accompaniment = Acompanhamento
respond-eta = Quando você pode chegar?
respond-eta-none = Não tenho certeza
respond-eta-minutes = { $minutes ->
    [one] Em 1 minuto
   *[other] Em { $minutes } minutos
}
respond-going = Vou responder
respond-cant = Não posso responder
respond-withdraw = Retirar minha resposta
respond-locked = Sua chave está bloqueada: desbloqueie-a para responder.
respond-unlock = Desbloquear sua chave
respond-sent-going = Obrigado. Sua resposta foi enviada: os organizadores veem que você está a caminho.
respond-sent-cant = Obrigado. Sua resposta foi enviada.
respond-sent-withdrawn = Sua resposta foi retirada.
respond-failed = Sua resposta não foi enviada: { $why }
respond-bad-form = Escolha uma função e um horário da lista.
respond-not-live = Este alerta terminou ou expirou: não recebe mais respostas.
desk-responses-title = Quem responde
desk-responses-cant = { $count ->
    [0] Ninguém disse que não pode responder.
    [one] 1 pessoa não pode responder.
   *[other] { $count } pessoas não podem responder.
}
desk-responses-role = Função
desk-responses-count = Respondendo
desk-responses-arrivals = Chegada prevista
desk-responses-in = { $minutes ->
    [0] agora
    [one] em 1 minuto
   *[other] em { $minutes } minutos
}
desk-responses-no-eta = sem horário informado
