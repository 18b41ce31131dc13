# A mesa dos organizadores: a lista de confiança, os avisos de recursos e os convites.

lists-nav = Listas dos organizadores
lists-trust-title = Lista de confiança
lists-resources-title = Avisos de recursos
lists-invites-title = Convites
lists-no-community = Este nó ainda não entrou em nenhuma comunidade.
lists-sign-what = O que você vai assinar

## Lista de confiança

lists-trust-intro = Em quem a sua comunidade confia: organizadores assinam alertas e avisos de recursos, membros enviam relatos. As mudanças são um rascunho até você publicá-las.
lists-trust-never-published = nunca publicada
lists-trust-published-version = versão { $version } publicada
lists-trust-draft-pending = rascunho da versão { $version } com mudanças não publicadas ({ $published })
lists-trust-none-published = ainda não há lista publicada
lists-trust-read-only = Só quem é dono desta lista pode mudá-la. Você vê a versão publicada.
lists-trust-saved = Rascunho salvo. Publique quando estiver pronto.
lists-trust-saved-revoked = Chave revogada no rascunho. Publique logo: vale quando os nós recebem a lista.
lists-trust-published = Versão { $version } publicada. Os nós a seguem assim que a recebem.
lists-trust-entries = Pessoas na lista
lists-trust-no-entries = Ainda não há ninguém na lista.
lists-trust-revoked = Chaves revogadas
lists-trust-thresholds = Assinaturas necessárias
lists-trust-no-thresholds = A assinatura de um organizador basta em todas as categorias.
lists-trust-delegates = Listas em que você confia
lists-trust-back = Voltar à lista de confiança
lists-threshold-row = { $category }: { $k } assinaturas
lists-threshold-category = Categoria
lists-threshold-k = Assinaturas necessárias (de 1 a 8)
lists-threshold-set = Definir
lists-change = Mudar
lists-remove = Tirar
lists-revoke = Revogar
lists-revoke-hint = Para uma chave perdida, roubada ou mal usada. O que ela assinou deixa de ser confiável, e ela não pode voltar à lista.
lists-revoke-reason = Motivo
lists-revoke-since = Deixar de confiar em
lists-revoke-since-now = só o que ela assinar a partir de agora
lists-revoke-since-date = o que ela assinou a partir de uma data
lists-revoke-date = Data
lists-since-everything = nada do que ela assinou é mais confiável
lists-since-date = o que ela assinou desde { $date } não é confiável
lists-role-organizer = organizador (assina alertas e avisos de recursos)
lists-role-member = membro (envia relatos)
lists-scope = { $role }; { $areas }; { $categories }; { $until }
lists-scope-everywhere = em todo lugar
lists-scope-all-categories = todas as categorias e os avisos de recursos
lists-scope-until = até { $date }
lists-scope-with-list = enquanto durar a lista
lists-delegate-scope = { $areas }; { $categories }
lists-add-title = Adicionar alguém
lists-add-change-title = Mudar uma entrada
lists-add-key = A chave pública da pessoa
lists-add-key-hint = 64 caracteres, mostrados por “aviso id” no aparelho dela. Confira a impressão digital com ela pessoalmente.
lists-add-label = Nome na lista
lists-add-role = O que pode fazer
lists-add-areas = Áreas
lists-add-areas-hint = Códigos de área separados por vírgulas, como 9q8yy. Deixe vazio para todo lugar.
lists-add-categories = Categorias
lists-add-categories-hint = Nenhuma marcada: todas as categorias e os avisos de recursos.
lists-add-expires = Até
lists-add-expires-hint = Uma data (2027-06-30) ou uma duração (90d). Vazio: enquanto durar a lista.
lists-add-submit = Adicionar ao rascunho
lists-add-change-submit = Salvar a mudança
lists-error-key = Isso não é uma chave pública: cole os 64 caracteres mostrados por “aviso id”.
lists-error-revoked = { $fingerprint } está revogada: uma chave revogada não pode voltar a ser confiável. O dono precisa de uma chave nova.
lists-error-not-listed = { $fingerprint } não está na lista.
lists-error-own-key = Você não pode revogar nem delegar a sua própria chave na sua própria lista.
lists-error-expires = Dê uma data como 2027-06-30, ou uma duração como 90d.
lists-error-expires-past = Essa data já passou. Dê uma data posterior.
lists-error-since-future = Essa data é futura: o que a chave assinar até lá continuaria confiável. Escolha uma data passada ou “a partir de agora”.
lists-error-date = Dê a data a partir da qual a chave deixa de ser confiável.
lists-error-threshold = Dê um número de 1 a { $max }.

## Publicar a lista de confiança

lists-publish-title = Publicar a lista de confiança
lists-publish-review = Revisar e publicar
lists-publish-changes = O que muda em relação à versão publicada
lists-publish-nothing = O rascunho é igual à versão publicada: nada a publicar.
lists-publish-stale = O rascunho mudou desde que você olhou. Confira as mudanças de novo.
lists-publish-signs = A sua chave { $fingerprint } assina a lista “{ $name }”, versão { $version }, válida até { $until }. Todos os nós da comunidade a seguem assim que a recebem.
lists-publish-confirm = Assinar e publicar
lists-publish-unlock = Desbloqueie a sua chave para assinar
lists-diff-renamed = Lista renomeada de “{ $from }” para “{ $to }”
lists-diff-added = Adicionar { $label } ({ $fingerprint }): { $scope }
lists-diff-removed = Tirar { $label } ({ $fingerprint }) da lista
lists-diff-changed = Mudar { $label } ({ $fingerprint }): antes { $old }. Agora { $new }
lists-diff-changed-renamed = Mudar { $was }, agora { $label } ({ $fingerprint }): antes { $old }. Agora { $new }
lists-diff-revoked = Revogar { $fingerprint }: { $since }. Motivo: { $reason }
lists-diff-unrevoked = Retirar a revogação de { $fingerprint }
lists-diff-threshold = { $category }: { $from } → { $to } { $to ->
    [one] assinatura necessária
   *[other] assinaturas necessárias
}
lists-diff-delegate-added = Confiar na lista de { $label } ({ $fingerprint }): { $scope }
lists-diff-delegate-removed = Deixar de confiar na lista de { $label } ({ $fingerprint })
lists-diff-delegate-changed = Mudar a delegação de { $label } ({ $fingerprint }): agora { $scope }

## Avisos de recursos

lists-resources-intro = Ajuda jurídica, linhas de apoio, abrigos, comida, eventos: o que os membros encontram em Ajuda. Uma versão nova substitui a anterior.
lists-resources-yours = Os seus avisos
lists-resources-none = Você ainda não publicou nenhum aviso.
lists-resource-new = Novo aviso
lists-resource-update-title = Atualizar um aviso
lists-resource-update = Atualizar
lists-resource-withdraw = Retirar
lists-resource-kind = Tipo
lists-resource-text-1 = Nome e texto
lists-resource-text-2 = Em uma segunda língua
lists-resource-name = Nome
lists-resource-description = O que oferece e para quem
lists-resource-hours = Horário
lists-resource-areas = Área atendida
lists-resource-phone = Telefone
lists-resource-url = Endereço na web
lists-resource-address = Endereço
lists-resource-address-hint = Só um endereço público. Nunca uma casa segura.
lists-resource-flags = Bom saber
lists-resource-free = Gratuito
lists-resource-no-id = Não pedem documento
lists-resource-confidential = Confidencial
lists-resource-walk-in = Sem hora marcada
lists-resource-expires = Mostrado por
lists-resource-expires-days = { $days } dias
lists-resource-signs = A sua chave { $fingerprint } assina este aviso; todos os nós da comunidade o mostram aos membros até ele expirar ou você retirá-lo.
lists-resource-submit = Assinar e publicar
lists-resource-update-submit = Assinar e publicar a nova versão
lists-resource-sent = Aviso publicado.
lists-resource-withdrawn = Aviso retirado. Os membros não o veem mais.
lists-resource-error-kind = Escolha um tipo.

## Convites

lists-invite-intro = Quem escanear ou colar este convite no Aviso entra em { $community }.
lists-invite-qr-label = Convite para { $community } como código QR
lists-invite-scan = Escaneie com a câmera do celular no Aviso.
lists-invite-text = O mesmo convite como texto
lists-invite-text-hint = Copie-o numa mensagem para alguém de confiança. Ele não tem segredo, mas diz quem são os seus organizadores.
lists-invite-too-long = Este convite é longo demais para um código QR: passe o texto.
lists-invite-gives = O que ele dá
lists-invite-gives-join = Entra na comunidade { $community }.
lists-invite-gives-roots = { $count ->
    [one] Segue a lista de confiança da sua chave de organizador:
   *[other] Segue as listas de confiança das suas { $count } chaves de organizador:
}
lists-invite-gives-addresses = { $count ->
    [0] Não leva nenhum endereço de nó: os celulares só acham o seu nó na mesma rede.
    [one] Leva um endereço de nó para se conectar primeiro.
   *[other] Leva { $count } endereços de nó para se conectar primeiro.
}
lists-invite-gives-not = Não torna ninguém membro nem organizador: para isso, adicione a chave da pessoa à lista de confiança.
lists-invite-valid = Quanto tempo vale
lists-invite-valid-text = Não expira: vale enquanto as chaves de organizador da comunidade forem as mesmas. Se os endereços nele pararem de funcionar, um convite novo de “aviso community invite --update” o substitui.
