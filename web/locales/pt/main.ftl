# Aviso, aplicativo web: português (Brasil).

## A moldura de cada página

app-name = Aviso
skip-to-content = Pular para o conteúdo
nav-label = Principal
nav-alerts = Alertas
nav-report = Relatar
nav-help = Ajuda
nav-settings = Configurações
nav-status = Situação
language-label = Idioma
language-choose = Mudar
footer-node = Servido pelo seu próprio nó Aviso. Nada nestas páginas vem de outro lugar.

## Alertas

alerts-title = Alertas
alerts-intro = Alertas verificados pelos organizadores que você segue, os mais urgentes primeiro.
alerts-none = Nenhum alerta verificado agora.
alerts-none-areas = Nenhum alerta verificado nas suas áreas agora.
alerts-live = As novidades aparecem aqui sozinhas.
alerts-offline = Sem conexão com o seu nó: reconectando…
alert-new = Novo alerta
alert-what-to-do = O que fazer
alert-what-happens = O que está acontecendo
alert-where = Onde
alert-when = Desde
alert-until = Até { $time }
alert-updated = Atualizado
alert-expires = Vence
alert-verified = { $count ->
    [one] Verificado por um organizador de { $community }
   *[other] Verificado por { $count } organizadores de { $community }
}
alert-verified-by = Assinado por { $names }
alert-drill = Isto é um simulado, não um alerta real.
alert-test = Isto é um teste técnico, não um alerta real.
alert-other-languages = Ler em:
alert-show-more = Mais detalhes
alert-signatures-waiting = { $have } de { $need } assinaturas

severity-extreme = Perigo extremo
severity-severe = Grave
severity-moderate = Moderado
severity-minor = Menor
severity-unknown = Gravidade desconhecida

urgency-immediate = Aja agora
urgency-expected = Aja na próxima hora
urgency-future = Em breve
urgency-past = Nenhuma ação necessária
urgency-unknown = Prazo desconhecido

category-raid = Batida
category-checkpoint = Blitz
category-detention = Detenção
category-patrol = Agentes patrulhando
category-other = Outro
category-geo = Terremoto ou deslizamento
category-met = Tempo
category-safety = Segurança pública
category-security = Segurança
category-rescue = Resgate
category-fire = Incêndio
category-health = Saúde
category-env = Meio ambiente
category-transport = Transporte
category-infra = Luz, água ou telefone
category-cbrne = Materiais perigosos
category-resources = Recursos

ended-title = Retirados recentemente
ended-cancelled = Cancelado: estava errado ou não se aplica mais.
ended-all-clear = Fim do perigo: já passou.
ended-retracted = Retirado pelos organizadores.
ended-revoked = Retirado: a chave que o assinou não é mais confiável.
ended-expired = Vencido.
ended-superseded = Substituído por uma versão mais nova.

## Tempo, em relação a agora

time-just-now = agora mesmo
time-minutes-ago = { $n ->
    [one] há 1 minuto
   *[other] há { $n } minutos
}
time-hours-ago = { $n ->
    [one] há 1 hora
   *[other] há { $n } horas
}
time-days-ago = { $n ->
    [one] há 1 dia
   *[other] há { $n } dias
}

## Relatos (não verificados)

reports-title = Relatos não verificados
reports-intro = Enviados por membros. Ninguém os confirmou ainda: não aja só por eles e não os compartilhe como fatos.
reports-none = Nenhum relato não verificado.
report-state-unverified = Não verificado
report-state-confirmed = Confirmado por um alerta
report-state-dismissed = Descartado por um organizador
report-seen = Visto { $ago }
report-more = Ver relatos anteriores

## Relatar o que você vê

report-title = Relatar o que você vê
report-intro = Seu relato vai para os organizadores da sua comunidade. Os outros o veem como não verificado até que um organizador o confirme.
report-category = O que você viu?
report-area = Onde?
report-area-named = Escolha um lugar
report-area-none = Ainda não há lugares com nome: use sua localização ou digite um código de área.
report-area-code = Ou um código de área
report-area-code-hint = Um código curto da área, como 9q8yy. Pergunte aos seus organizadores.
report-use-location = Usar minha localização
report-location-privacy = Sua localização exata nunca sai deste telefone: só uma área do tamanho de um bairro é enviada.
report-location-failed = Sua localização não está disponível. Escolha um lugar.
report-when = Quando?
report-when-now = Agora mesmo
report-when-15 = Há uns 15 minutos
report-when-60 = Há cerca de uma hora
report-text = Descreva o que você vê
report-text-hint = Quantos agentes ou veículos, o que estão fazendo. Sem nomes, rostos ou placas de vizinhos.
report-send = Enviar relato
report-sent-title = Relato enviado
report-sent = Obrigado. Os organizadores vão verificar. Até que um confirme, ele aparece como não verificado.
report-sent-queued = Salvo. Seu nó não está conectado agora: ele envia o relato assim que puder.
report-another = Enviar outro relato

## Ajuda perto de você

help-title = Ajuda perto de você
help-intro = Ajuda jurídica, linhas de apoio, abrigos e mais, publicados pelos organizadores que você segue.
help-none = Nada corresponde. Tente menos filtros.
help-filters = Filtrar
help-kind = Tipo de ajuda
help-kind-all = Todos os tipos
help-language = Idioma falado
help-language-any = Qualquer idioma
help-free = Gratuito
help-no-id = Sem exigir documento
help-confidential = Confidencial
help-walk-in = Sem agendamento
help-open-now = Aberto agora
help-apply = Aplicar
help-call = Ligar para { $phone }
help-website = Site
help-address = Endereço
help-hours = Horário
help-languages = Fala
help-event-when = De { $start } a { $end }

kind-legal_aid = Ajuda jurídica
kind-helpline = Linha de apoio
kind-shelter = Abrigo
kind-food = Alimentação
kind-medical = Atendimento médico
kind-transport = Transporte
kind-workshop = Oficina
kind-event = Evento
kind-other = Outro

## Configurações

settings-title = Configurações
settings-languages = Idiomas
settings-languages-hint = Os alertas aparecem no primeiro destes idiomas que tiverem.
settings-areas = Áreas de interesse
settings-areas-hint = Só aparecem alertas destas áreas. Deixe vazio para todas.
settings-places = Lugares que você acompanha
settings-places-hint = Nomeados pelos seus organizadores. Os lugares marcados somam-se às áreas acima.
settings-follow = Listas que você segue
settings-follow-hint = Um alerta só conta como verificado se for assinado por organizadores destas listas.
settings-notifications = Notificações
settings-notify-severe = Avisar-me de alertas graves nas minhas áreas
settings-sound = Tocar um som
settings-push = Avisar-me com o aplicativo fechado (Web Push)
settings-push-privacy = Com isto ligado, o serviço de notificações do fabricante deste aparelho (Google, Apple ou Mozilla) fica sabendo quando este aparelho recebe uma notificação e de qual nó, mas não o que ela diz: ela é criptografada só para este aparelho. Seu nó guarda o endereço de notificações deste aparelho até você desligar isto.
settings-save = Salvar
settings-saved = Salvo.

## Situação

status-title = Situação
status-connected = { $peers ->
    [0] Ainda sem conexão com ninguém.
    [one] Conectado a 1 nó.
   *[other] Conectado a { $peers } nós.
}
status-catch-up = Última atualização: { $ago }
status-catch-up-never = Ainda não atualizado.
status-reach = Como outros chegam a este nó
status-community = Comunidade

## Entrar e a chave

signin-title = Entrar
signin-intro = Para abrir o Aviso neste navegador, rode `aviso web` no computador onde o seu nó funciona e abra o link que ele mostra.
signin-used = Este link já foi usado ou venceu. Rode `aviso web` de novo para ter outro.
unlock-title = Desbloquear sua chave
unlock-intro = Enviar um relato ou um alerta exige sua assinatura. Sua chave fica no seu nó; isto a desbloqueia por { $minutes } minutos sem atividade.
unlock-passphrase = Frase-senha
unlock-submit = Desbloquear
unlock-wrong = Frase-senha errada. Tente de novo.
unlock-wait = Tentativas demais. Espere { $seconds } segundos.
unlock-state-locked = Sua chave está bloqueada.
unlock-state-unlocked = Sua chave está desbloqueada.
lock-now = Bloquear agora

## Erros de formulário

error-title = Confira o formulário
error-required = Falta { $field }.
error-too-long = { $field } está longo demais: { $length } caracteres, no máximo { $limit }.
error-area = { $field }: “{ $value }” não é um código de área. Use letras e números, como 9q8yy.
error-category = Escolha o que você viu.
error-generic = Não deu certo: { $why }
error-not-found = Página não encontrada.
error-forbidden = Este pedido foi recusado. Abra o Aviso pelo endereço dele.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = Ligar neste aparelho
push-state-on = Este aparelho recebe notificações com o aplicativo fechado.
push-state-off = Desligado neste aparelho.
push-denied = As notificações estão bloqueadas para este site nas configurações do navegador.
push-failed = Não deu certo. Tente mais tarde.
push-title = { $severity }: { $category }
status-reach-direct = Outros nós conseguem chegar a este nó diretamente.
status-reach-direct-relay = Outros nós conseguem chegar a este nó diretamente, e ele serve de relé para a comunidade.
status-reach-relayed = Atrás de um roteador: outros nós chegam a este nó por um relé da comunidade.
status-reach-unknown = Ainda não acessível: nenhum outro nó confirmou um endereço deste nó.
label-list-owner = dono da lista

## Celulares na rede de casa: parear e dispositivos pareados. (Novo: precisa de revisão nativa.)
pair-title = Parear este celular
pair-intro = Isto conecta este celular ou tablet ao seu nó pela rede da sua casa. Use o link ou o código que `aviso web pair` mostra no computador onde o seu nó funciona.
pair-code = Código de pareamento
pair-code-hint = Preenchido pelo código QR. Funciona uma vez, por 10 minutos.
pair-name = Nome deste dispositivo
pair-name-hint = Para você reconhecê-lo na lista de dispositivos pareados.
pair-submit = Parear
pair-trust-title = Confiar neste nó (opcional)
pair-trust-intro = Instale o certificado do seu nó para que este celular possa instalar o app e abri-lo sem rede. Antes de instalar, confira se a impressão digital SHA-256 é exatamente esta, a mesma que `aviso web pair` mostra:
pair-trust-download = Baixar o certificado do nó
pair-trust-optional = Sem ele, as páginas funcionam do mesmo jeito no navegador, depois do aviso sobre o certificado. Os passos para Android e iPhone estão em docs/phones.md.
pair-refused = Este código está errado, já foi usado ou venceu. Rode `aviso web pair` de novo para ter outro.
pair-too-many = Códigos errados demais. Rode `aviso web pair` de novo para ter outro.
pair-full = Há dispositivos pareados demais. Revogue um em Configurações, no computador onde o seu nó funciona.
devices-title = Dispositivos pareados
devices-hint = Celulares e tablets que abrem o Aviso pela rede da sua casa. Revogar um desconecta-o na hora.
devices-none = Nenhum dispositivo pareado ainda.
devices-revoke = Revogar
devices-when = pareado { $paired }, último uso { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = Apagamento de emergência
settings-panic-hint = Se este aparelho for levado, ou estiver para ser, apague tudo o que o Aviso guarda nele: mensagens, chaves, configurações.
settings-panic-open = Apagar este aparelho…
panic-title = Apagar tudo neste aparelho?
panic-explain = Isto destrói a sua chave de assinatura e tudo o que este nó guardou, na hora e para sempre. Ninguém poderá ler depois, nem você. Para usar o Aviso de novo, precisará de um convite.
panic-confirm = Apagar tudo agora
panic-cancel = Cancelar e voltar às configurações
pairing-button = Parear um celular
pairing-title = Parear um celular
pairing-step-wifi = Conecte o celular à mesma rede Wi-Fi deste computador.
pairing-step-scan = Leia este código com a câmera do celular, ou abra o endereço no celular e digite o código.
pairing-address = Endereço
pairing-code = Código
pairing-step-trust = Depois o celular oferece o certificado do seu nó, para poder instalar o aplicativo. A impressão digital dele deve ser exatamente:
pairing-expires = { $minutes ->
    [one] O código funciona uma única vez, por { $minutes } minuto.
   *[other] O código funciona uma única vez, por { $minutes } minutos.
}
pairing-again = Gerar um código novo
pairing-back = Voltar às configurações
pairing-qr-label = Código QR do endereço de pareamento
pairing-off = Os celulares na sua rede de casa estão desativados. Para ativá-los, execute `aviso web pair --enable` neste computador e reinicie o nó (ou inicie-o com `aviso node --lan`).
