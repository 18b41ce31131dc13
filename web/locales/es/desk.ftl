# Aviso, mesa de organización (issue 13): español.

nav-desk = Mesa
desk-title = Mesa de organización
desk-back = Volver
desk-sections = Secciones

## La llave y su bloqueo

desk-lock-unlocked = Tu llave de firma está desbloqueada. Se bloquea sola tras { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
} sin uso.
desk-lock-locked = Tu llave de firma está bloqueada. Desbloquéala para firmar; la llave nunca sale de tu nodo.
desk-lock-now = Bloquear ahora
desk-unlock = Desbloquear la llave
desk-locked-sign = Tu llave de firma está bloqueada: desbloquéala y vuelve a enviar. No se firmó nada.
desk-key-title = Tu llave
desk-key-fingerprint = Huella
desk-key-label = Nombre en la lista de confianza
desk-key-role = Función
desk-key-none = Este nodo no tiene llave de firma.
desk-role-none = No eres organizador en las listas que sigue este nodo: tus firmas en alertas no contarían.
desk-role-organizer = Organizador para { $categories } en { $areas }
desk-scope-everywhere = todas las zonas
desk-scope-every-category = todas las categorías
desk-count-reports = { $count ->
    [one] 1 reporte abierto
   *[other] { $count } reportes abiertos
}
desk-count-waiting = { $count ->
    [one] 1 alerta espera una firma
   *[other] { $count } alertas esperan firmas
}
desk-counts = Tu firma cuenta: organizador para { $category } en { $areas }.
desk-counts-more = Esta categoría necesita firmas adicionales: los miembros ven la alerta cuando { $more ->
    [one] firme 1 organizador más
   *[other] firmen { $more } organizadores más
}.
desk-counts-not = Tu firma no contaría: { $why }
desk-expired = Esta alerta ya venció: no hay nada que firmar.

## Reportes

desk-reports-title = Reportes por verificar
desk-reports-intro = Reportes sin verificar de los miembros, los más nuevos primero. Se agrupan los reportes del mismo tipo en la misma zona con menos de 30 minutos entre ellos.
desk-reports-none = No hay reportes abiertos.
desk-reports-members = { $count ->
    [one] Reportado por 1 miembro
   *[other] Reportado por { $count } miembros
}
desk-confirm = Confirmar como alerta
desk-dismiss = Descartar
desk-dismiss-reason = Por qué descartar
desk-dismiss-false = Reporte falso
desk-dismiss-duplicate = Duplicado
desk-dismiss-mistaken = Equivocado
desk-dismiss-reason-missing = Elige por qué descartas estos reportes.
desk-dismissed = { $count ->
    [one] 1 reporte descartado.
   *[other] { $count } reportes descartados.
}

## Firmas conjuntas

desk-cosign-title = Alertas por cofirmar
desk-cosign-intro = Estas alertas necesitan la firma de más de un organizador. Los miembros no las ven hasta que firmen suficientes organizadores. Lee toda la alerta antes de firmar.
desk-cosign-none = Ninguna alerta espera una firma.
desk-cosign-signed = Firmada por { $names }
desk-cosign-missing = { $count ->
    [one] Falta 1 firma
   *[other] Faltan { $count } firmas
}
desk-cosign-yours = Tú firmaste esta alerta: otro organizador debe cofirmarla.
desk-cosign-endorse = Cofirmar esta alerta
desk-cosign-done = Tu firma conjunta fue enviada.

## Redactar

desk-compose-title = Nueva alerta
desk-update-title = Actualizar la alerta
desk-templates = Empezar desde una plantilla
desk-category = Categoría
desk-severity = Gravedad
desk-status = Tipo
desk-status-actual = Real
desk-status-exercise = Simulacro
desk-areas = Códigos de zona
desk-areas-hint = Códigos de zona separados por comas. Lugares con nombre:
desk-place = Lugar, como lo leen los miembros (opcional)
desk-place-hint = Solo palabras públicas, como una esquina. Nunca la dirección de una casa.
desk-expires = Se muestra durante
desk-expires-30m = 30 minutos
desk-expires-2h = 2 horas
desk-expires-6h = 6 horas
desk-expires-24h = 24 horas
desk-languages = Idiomas
desk-languages-hint = Códigos de idioma separados por comas, como en, es, ht. Deja un titular vacío para omitir ese idioma.
desk-languages-apply = Cambiar idiomas
desk-headline = Titular
desk-description = Qué está pasando
desk-instruction = Qué hacer
desk-instruction-standard = Instrucción habitual:
desk-instruction-raid = No abras la puerta. Pide ver por la ventana una orden firmada por un juez. Tienes derecho a guardar silencio.
desk-instruction-checkpoint = Evita la zona si puedes. Si te detienen, tienes derecho a guardar silencio. No firmes nada.
desk-instruction-detention = Llama a la línea de respuesta rápida. Anota la hora, el lugar y la agencia. No compartas nombres en público.
desk-instruction-patrol = Mantén la calma y evita la zona. No corras. Comparte esta alerta con tus vecinos.
desk-instruction-other = Mantente atento y sigue las instrucciones de tus organizadores.
desk-preview = Vista previa
desk-preview-title = Lo que verán los miembros
desk-sign-title = Lo que vas a firmar
desk-sign-what = Mensaje
desk-sign-alert = Una alerta nueva
desk-sign-update = Una actualización de la alerta { $id }
desk-sign-key = Firmado con tu llave
desk-sign-confirms = Confirma
desk-sign-confirms-count = { $count ->
    [one] 1 reporte de miembro
   *[other] { $count } reportes de miembros
}
desk-sign-send = Firmar y enviar
desk-sign-changed = El formulario cambió desde la vista previa: revisa la nueva vista previa y vuelve a firmar.
desk-template-name = Guardar este formulario como plantilla con el nombre
desk-template-save = Guardar plantilla
desk-template-saved = Plantilla «{ $name }» guardada, cifrada en tu nodo.
desk-template-delete = Borrar
desk-template-delete-label = Borrar la plantilla «{ $name }»
desk-template-deleted = Plantilla «{ $name }» borrada.
desk-template-missing = Ninguna plantilla se llama «{ $name }».
desk-error-severity = Elige una gravedad.
desk-error-expires = Elige cuánto tiempo se muestra la alerta.
desk-error-headline = El bloque en { $language } tiene texto pero no titular: agrega uno.
desk-error-text = Escribe un titular en al menos un idioma.
desk-sent = Alerta firmada y enviada.

## Una alerta

desk-alerts-title = Alertas
desk-alerts-shown = Visibles para los miembros
desk-alerts-waiting = Esperando firmas conjuntas
desk-alerts-ended = Terminadas o no visibles
desk-alerts-none = Ninguna.
desk-alert-title = Alerta
desk-alert-shown = Visible para los miembros.
desk-update = Actualizar
desk-cancel = Cancelar
desk-all-clear = Fin del peligro
desk-end-reason = Una nota breve para los miembros (opcional)
desk-end-cancel-title = ¿Cancelar esta alerta?
desk-end-cancel-what = Vas a firmar una cancelación: los miembros verán que la alerta fue retirada, en todos sus idiomas.
desk-end-cancel-sign = Firmar la cancelación
desk-end-all_clear-title = ¿Declarar el fin del peligro?
desk-end-all_clear-what = Vas a firmar un fin del peligro: los miembros verán que el peligro pasó.
desk-end-all_clear-sign = Firmar el fin del peligro
desk-ended-cancel = Cancelación firmada y enviada.
desk-ended-all_clear = Fin del peligro firmado y enviado.
desk-counts-more-end = Esta categoría necesita firmas adicionales: tendrá efecto cuando { $more ->
    [one] la cofirme 1 organizador más
   *[other] la cofirmen { $more } organizadores más
} en su mesa.
desk-cosign-kind-cancel = Una cancelación de esta alerta:
desk-cosign-kind-all_clear = Un fin del peligro de esta alerta:
desk-cosign-kind-update = Una actualización: la nueva versión de la alerta.
desk-alert-not-shown = No visible para los miembros: { $why }
