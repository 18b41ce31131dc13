# El escritorio de organizadores: la lista de confianza, los avisos de recursos y las invitaciones.

lists-nav = Listas de organizadores
lists-trust-title = Lista de confianza
lists-resources-title = Avisos de recursos
lists-invites-title = Invitaciones
lists-no-community = Este nodo aún no se ha unido a ninguna comunidad.
lists-sign-what = Lo que va a firmar

## Lista de confianza

lists-trust-intro = En quién confía su comunidad: los organizadores firman alertas y avisos de recursos, los miembros envían reportes. Los cambios son un borrador hasta que los publique.
lists-trust-never-published = nunca publicada
lists-trust-published-version = versión { $version } publicada
lists-trust-draft-pending = borrador de la versión { $version } con cambios sin publicar ({ $published })
lists-trust-none-published = todavía no hay lista publicada
lists-trust-read-only = Solo quien tiene esta lista puede cambiarla. Usted ve la versión publicada.
lists-trust-saved = Borrador guardado. Publíquelo cuando esté listo.
lists-trust-saved-revoked = Clave revocada en el borrador. Publique pronto: se aplica cuando los nodos reciben la lista.
lists-trust-published = Versión { $version } publicada. Los nodos la siguen en cuanto la reciben.
lists-trust-entries = Personas en la lista
lists-trust-no-entries = Todavía no hay nadie en la lista.
lists-trust-revoked = Claves revocadas
lists-trust-thresholds = Firmas necesarias
lists-trust-no-thresholds = Basta la firma de un organizador en todas las categorías.
lists-trust-delegates = Listas en las que confía
lists-trust-back = Volver a la lista de confianza
lists-threshold-row = { $category }: { $k } firmas
lists-threshold-category = Categoría
lists-threshold-k = Firmas necesarias (de 1 a 8)
lists-threshold-set = Fijar
lists-change = Cambiar
lists-remove = Quitar
lists-revoke = Revocar
lists-revoke-hint = Para una clave perdida, robada o mal usada. Lo que firmó deja de ser de confianza, y no se puede volver a añadir.
lists-revoke-reason = Motivo
lists-revoke-since = Dejar de confiar en
lists-revoke-since-now = solo lo que firme a partir de ahora
lists-revoke-since-date = lo que firmó a partir de una fecha
lists-revoke-date = Fecha
lists-since-everything = ya no se confía en nada de lo que firmó
lists-since-date = no se confía en lo que firmó desde el { $date }
lists-role-organizer = organizador (firma alertas y avisos de recursos)
lists-role-member = miembro (envía reportes)
lists-scope = { $role }; { $areas }; { $categories }; { $until }
lists-scope-everywhere = en todas partes
lists-scope-all-categories = todas las categorías y los avisos de recursos
lists-scope-until = hasta el { $date }
lists-scope-with-list = mientras dure la lista
lists-delegate-scope = { $areas }; { $categories }
lists-add-title = Añadir a alguien
lists-add-change-title = Cambiar una entrada
lists-add-key = Su clave pública
lists-add-key-hint = 64 caracteres, los muestra «aviso id» en su dispositivo. Compruebe la huella con la persona en persona.
lists-add-label = Nombre en la lista
lists-add-role = Qué puede hacer
lists-add-areas = Zonas
lists-add-areas-hint = Códigos de zona separados por comas, como 9q8yy. Déjelo vacío para todas partes.
lists-add-categories = Categorías
lists-add-categories-hint = Ninguna marcada: todas las categorías y los avisos de recursos.
lists-add-expires = Hasta
lists-add-expires-hint = Una fecha (2027-06-30) o una duración (90d). Vacío: mientras dure la lista.
lists-add-submit = Añadir al borrador
lists-add-change-submit = Guardar el cambio
lists-error-key = Eso no es una clave pública: pegue los 64 caracteres que muestra «aviso id».
lists-error-revoked = { $fingerprint } está revocada: una clave revocada no puede volver a ser de confianza. Su dueño necesita una clave nueva.
lists-error-not-listed = { $fingerprint } no está en la lista.
lists-error-own-key = No puede revocar ni delegar su propia clave en su propia lista.
lists-error-expires = Indique una fecha como 2027-06-30, o una duración como 90d.
lists-error-expires-past = Esa fecha ya pasó. Indique una posterior.
lists-error-since-future = Esa fecha es futura: lo que la clave firme hasta entonces seguiría siendo de confianza. Elija una fecha pasada o «a partir de ahora».
lists-error-date = Indique la fecha desde la que se deja de confiar en la clave.
lists-error-threshold = Indique un número de 1 a { $max }.

## Publicar la lista de confianza

lists-publish-title = Publicar la lista de confianza
lists-publish-review = Revisar y publicar
lists-publish-changes = Qué cambia respecto a la versión publicada
lists-publish-nothing = El borrador es igual a la versión publicada: no hay nada que publicar.
lists-publish-stale = El borrador cambió desde que lo revisó. Vuelva a comprobar los cambios.
lists-publish-signs = Su clave { $fingerprint } firma la lista «{ $name }», versión { $version }, válida hasta el { $until }. Todos los nodos de la comunidad la siguen en cuanto la reciben.
lists-publish-confirm = Firmar y publicar
lists-publish-unlock = Desbloquee su clave para firmar
lists-diff-renamed = Lista renombrada de «{ $from }» a «{ $to }»
lists-diff-added = Añadir a { $label } ({ $fingerprint }): { $scope }
lists-diff-removed = Quitar a { $label } ({ $fingerprint }) de la lista
lists-diff-changed = Cambiar a { $label } ({ $fingerprint }): antes { $old }. Ahora { $new }
lists-diff-changed-renamed = Cambiar a { $was }, ahora { $label } ({ $fingerprint }): antes { $old }. Ahora { $new }
lists-diff-revoked = Revocar { $fingerprint }: { $since }. Motivo: { $reason }
lists-diff-unrevoked = Levantar la revocación de { $fingerprint }
lists-diff-threshold = { $category }: { $from } → { $to } { $to ->
    [one] firma necesaria
   *[other] firmas necesarias
}
lists-diff-delegate-added = Confiar en la lista de { $label } ({ $fingerprint }): { $scope }
lists-diff-delegate-removed = Dejar de confiar en la lista de { $label } ({ $fingerprint })
lists-diff-delegate-changed = Cambiar la delegación de { $label } ({ $fingerprint }): ahora { $scope }

## Avisos de recursos

lists-resources-intro = Ayuda legal, líneas de ayuda, albergues, comida, eventos: lo que los miembros encuentran en Ayuda. Una versión nueva reemplaza a la anterior.
lists-resources-yours = Sus avisos
lists-resources-none = Todavía no ha publicado ningún aviso.
lists-resource-new = Aviso nuevo
lists-resource-update-title = Actualizar un aviso
lists-resource-update = Actualizar
lists-resource-withdraw = Retirar
lists-resource-kind = Tipo
lists-resource-text-1 = Nombre y texto
lists-resource-text-2 = En un segundo idioma
lists-resource-name = Nombre
lists-resource-description = Qué ofrece y a quién
lists-resource-hours = Horario
lists-resource-areas = Zona atendida
lists-resource-phone = Teléfono
lists-resource-url = Dirección web
lists-resource-address = Dirección
lists-resource-address-hint = Solo una dirección pública. Nunca una casa segura.
lists-resource-flags = Bueno saber
lists-resource-free = Gratuito
lists-resource-no-id = No piden identificación
lists-resource-confidential = Confidencial
lists-resource-walk-in = Sin cita previa
lists-resource-expires = Se muestra durante
lists-resource-expires-days = { $days } días
lists-resource-signs = Su clave { $fingerprint } firma este aviso; todos los nodos de la comunidad lo muestran a los miembros hasta que caduque o usted lo retire.
lists-resource-submit = Firmar y publicar
lists-resource-update-submit = Firmar y publicar la versión nueva
lists-resource-sent = Aviso publicado.
lists-resource-withdrawn = Aviso retirado. Los miembros ya no lo ven.
lists-resource-error-kind = Elija un tipo.

## Invitaciones

lists-invite-intro = Quien escanee o pegue esta invitación en Aviso se une a { $community }.
lists-invite-qr-label = Invitación a { $community } como código QR
lists-invite-scan = Escanéela con la cámara del teléfono en Aviso.
lists-invite-text = La misma invitación como texto
lists-invite-text-hint = Cópiela en un mensaje a alguien de confianza. No contiene ningún secreto, pero dice quiénes son sus organizadores.
lists-invite-too-long = Esta invitación es demasiado larga para un código QR: dé el texto.
lists-invite-gives = Qué da
lists-invite-gives-join = Une a la comunidad { $community }.
lists-invite-gives-roots = { $count ->
    [one] Sigue la lista de confianza de su clave de organizador:
   *[other] Sigue las listas de confianza de sus { $count } claves de organizador:
}
lists-invite-gives-addresses = { $count ->
    [0] No lleva ninguna dirección de nodo: los teléfonos encuentran su nodo solo en la misma red.
    [one] Lleva una dirección de nodo a la que conectarse primero.
   *[other] Lleva { $count } direcciones de nodo a las que conectarse primero.
}
lists-invite-gives-not = No hace a nadie miembro ni organizador: para eso, añada su clave a la lista de confianza.
lists-invite-valid = Cuánto dura
lists-invite-valid-text = No caduca: vale mientras las claves de organizador de la comunidad sean las mismas. Si las direcciones que lleva dejan de funcionar, una invitación nueva de «aviso community invite --update» la reemplaza.
