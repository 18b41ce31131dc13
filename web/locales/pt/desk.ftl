# Aviso, mesa de organização (issue 13): português.

nav-desk = Mesa
desk-title = Mesa de organização
desk-back = Voltar
desk-sections = Seções

## A chave e o bloqueio

desk-lock-unlocked = Sua chave de assinatura está desbloqueada. Ela se bloqueia sozinha após { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
} sem uso.
desk-lock-locked = Sua chave de assinatura está bloqueada. Desbloqueie-a para assinar; a chave nunca sai do seu nó.
desk-lock-now = Bloquear agora
desk-unlock = Desbloquear a chave
desk-locked-sign = Sua chave de assinatura está bloqueada: desbloqueie-a e envie de novo. Nada foi assinado.
desk-key-title = Sua chave
desk-key-fingerprint = Impressão digital
desk-key-label = Nome na lista de confiança
desk-key-role = Função
desk-key-none = Este nó não tem chave de assinatura.
desk-role-none = Você não é organizador nas listas que este nó segue: suas assinaturas em alertas não contariam.
desk-role-organizer = Organizador para { $categories } em { $areas }
desk-scope-everywhere = todas as áreas
desk-scope-every-category = todas as categorias
desk-count-reports = { $count ->
    [one] 1 relato aberto
   *[other] { $count } relatos abertos
}
desk-count-waiting = { $count ->
    [one] 1 alerta aguardando assinatura
   *[other] { $count } alertas aguardando assinaturas
}
desk-counts = Sua assinatura conta: organizador para { $category } em { $areas }.
desk-counts-more = Esta categoria precisa de assinaturas conjuntas: os membros veem o alerta quando { $more ->
    [one] mais 1 organizador assinar
   *[other] mais { $more } organizadores assinarem
}.
desk-counts-not = Sua assinatura não contaria: { $why }
desk-expired = Este alerta expirou: não há nada para assinar.

## Relatos

desk-reports-title = Relatos para verificar
desk-reports-intro = Relatos não verificados dos membros, os mais novos primeiro. Relatos do mesmo tipo na mesma área com menos de 30 minutos entre eles ficam agrupados.
desk-reports-none = Nenhum relato aberto.
desk-reports-members = { $count ->
    [one] Relatado por 1 membro
   *[other] Relatado por { $count } membros
}
desk-confirm = Confirmar como alerta
desk-dismiss = Descartar
desk-dismiss-reason = Por que descartar
desk-dismiss-false = Relato falso
desk-dismiss-duplicate = Duplicado
desk-dismiss-mistaken = Engano
desk-dismiss-reason-missing = Escolha por que você descarta estes relatos.
desk-dismissed = { $count ->
    [one] 1 relato descartado.
   *[other] { $count } relatos descartados.
}

## Assinaturas conjuntas

desk-cosign-title = Alertas para coassinar
desk-cosign-intro = Estes alertas precisam da assinatura de mais de um organizador. Os membros não os veem até que organizadores suficientes assinem. Leia o alerta inteiro antes de assinar.
desk-cosign-none = Nenhum alerta aguarda assinatura.
desk-cosign-signed = Assinado por { $names }
desk-cosign-missing = { $count ->
    [one] Falta 1 assinatura
   *[other] Faltam { $count } assinaturas
}
desk-cosign-yours = Você assinou este alerta: outro organizador precisa coassiná-lo.
desk-cosign-endorse = Coassinar este alerta
desk-cosign-done = Sua assinatura conjunta foi enviada.

## Redigir

desk-compose-title = Novo alerta
desk-update-title = Atualizar o alerta
desk-templates = Começar de um modelo
desk-category = Categoria
desk-severity = Gravidade
desk-status = Tipo
desk-status-actual = Real
desk-status-exercise = Simulação
desk-areas = Códigos de área
desk-areas-hint = Códigos de área separados por vírgulas. Lugares com nome:
desk-place = Lugar, como os membros leem (opcional)
desk-place-hint = Só palavras públicas, como uma esquina. Nunca o endereço de uma casa.
desk-expires = Exibido por
desk-expires-30m = 30 minutos
desk-expires-2h = 2 horas
desk-expires-6h = 6 horas
desk-expires-24h = 24 horas
desk-languages = Idiomas
desk-languages-hint = Códigos de idioma separados por vírgulas, como en, es, ht. Deixe um título vazio para omitir esse idioma.
desk-languages-apply = Mudar idiomas
desk-headline = Título
desk-description = O que está acontecendo
desk-instruction = O que fazer
desk-instruction-standard = Instrução habitual:
desk-instruction-raid = Não abra a porta. Peça para ver pela janela um mandado assinado por um juiz. Você tem o direito de ficar em silêncio.
desk-instruction-checkpoint = Evite a área se puder. Se for parado, você tem o direito de ficar em silêncio. Não assine nada.
desk-instruction-detention = Ligue para a linha de resposta rápida. Anote a hora, o lugar e a agência. Não compartilhe nomes em público.
desk-instruction-patrol = Mantenha a calma e evite a área. Não corra. Compartilhe este alerta com seus vizinhos.
desk-instruction-other = Fique atento e siga as instruções dos seus organizadores.
desk-preview = Pré-visualizar
desk-preview-title = O que os membros vão ver
desk-sign-title = O que você vai assinar
desk-sign-what = Mensagem
desk-sign-alert = Um novo alerta
desk-sign-update = Uma atualização do alerta { $id }
desk-sign-key = Assinado com sua chave
desk-sign-confirms = Confirma
desk-sign-confirms-count = { $count ->
    [one] 1 relato de membro
   *[other] { $count } relatos de membros
}
desk-sign-send = Assinar e enviar
desk-sign-changed = O formulário mudou desde a pré-visualização: confira a nova pré-visualização e assine de novo.
desk-template-name = Salvar este formulário como modelo com o nome
desk-template-save = Salvar modelo
desk-template-saved = Modelo “{ $name }” salvo, criptografado no seu nó.
desk-template-delete = Apagar
desk-template-delete-label = Apagar o modelo “{ $name }”
desk-template-deleted = Modelo “{ $name }” apagado.
desk-template-missing = Nenhum modelo se chama “{ $name }”.
desk-error-severity = Escolha uma gravidade.
desk-error-expires = Escolha por quanto tempo o alerta é exibido.
desk-error-headline = O bloco em { $language } tem texto mas não tem título: adicione um.
desk-error-text = Escreva um título em pelo menos um idioma.
desk-sent = Alerta assinado e enviado.

## Um alerta

desk-alerts-title = Alertas
desk-alerts-shown = Visíveis para os membros
desk-alerts-waiting = Aguardando assinaturas conjuntas
desk-alerts-ended = Encerrados ou não visíveis
desk-alerts-none = Nenhum.
desk-alert-title = Alerta
desk-alert-shown = Visível para os membros.
desk-update = Atualizar
desk-cancel = Cancelar
desk-all-clear = Fim do perigo
desk-end-reason = Uma nota curta para os membros (opcional)
desk-end-cancel-title = Cancelar este alerta?
desk-end-cancel-what = Você vai assinar um cancelamento: os membros verão que o alerta foi retirado, em todos os seus idiomas.
desk-end-cancel-sign = Assinar o cancelamento
desk-end-all_clear-title = Declarar fim do perigo?
desk-end-all_clear-what = Você vai assinar um fim do perigo: os membros verão que o perigo passou.
desk-end-all_clear-sign = Assinar o fim do perigo
desk-ended-cancel = Cancelamento assinado e enviado.
desk-ended-all_clear = Fim do perigo assinado e enviado.
desk-counts-more-end = Esta categoria precisa de assinaturas conjuntas: terá efeito quando { $more ->
    [one] mais 1 organizador coassinar
   *[other] mais { $more } organizadores coassinarem
} na sua mesa.
desk-cosign-kind-cancel = Um cancelamento deste alerta:
desk-cosign-kind-all_clear = Um fim do perigo deste alerta:
desk-cosign-kind-update = Uma atualização: a nova versão do alerta.
desk-alert-not-shown = Não visível para os membros: { $why }
