# Aviso, aplicación web: español.

## El marco de cada página

app-name = Aviso
skip-to-content = Saltar al contenido
nav-label = Principal
nav-alerts = Alertas
nav-report = Reportar
nav-help = Ayuda
nav-settings = Ajustes
nav-status = Estado
language-label = Idioma
language-choose = Cambiar
footer-node = Servido por su propio nodo Aviso. Nada en estas páginas viene de otro lugar.

## Alertas

alerts-title = Alertas
alerts-intro = Alertas verificadas por los organizadores que usted sigue, las más urgentes primero.
alerts-none = No hay alertas verificadas ahora.
alerts-none-areas = No hay alertas verificadas en sus zonas ahora.
alerts-live = Las novedades aparecen aquí solas.
alerts-offline = Sin conexión con su nodo: reconectando…
alert-new = Alerta nueva
alert-what-to-do = Qué hacer
alert-what-happens = Qué está pasando
alert-where = Dónde
alert-when = Desde
alert-until = Hasta { $time }
alert-updated = Actualizada
alert-expires = Vence
alert-verified = { $count ->
    [one] Verificada por un organizador de { $community }
   *[other] Verificada por { $count } organizadores de { $community }
}
alert-verified-by = Firmada por { $names }
alert-drill = Esto es un simulacro, no una alerta real.
alert-test = Esto es una prueba técnica, no una alerta real.
alert-other-languages = Leer en:
alert-show-more = Más detalles
alert-signatures-waiting = { $have } de { $need } firmas

severity-extreme = Peligro extremo
severity-severe = Grave
severity-moderate = Moderada
severity-minor = Menor
severity-unknown = Gravedad desconocida

urgency-immediate = Actúe ya
urgency-expected = Actúe en la próxima hora
urgency-future = Pronto
urgency-past = No hace falta actuar
urgency-unknown = Plazo desconocido

category-raid = Redada
category-checkpoint = Retén
category-detention = Detención
category-patrol = Agentes patrullando
category-other = Otro
category-geo = Terremoto o deslave
category-met = Clima
category-safety = Seguridad pública
category-security = Seguridad
category-rescue = Rescate
category-fire = Incendio
category-health = Salud
category-env = Medio ambiente
category-transport = Transporte
category-infra = Luz, agua o teléfono
category-cbrne = Materiales peligrosos
category-resources = Recursos

ended-title = Retiradas recientemente
ended-cancelled = Cancelada: era un error o ya no aplica.
ended-all-clear = Fin del peligro: ya pasó.
ended-retracted = Retirada por los organizadores.
ended-revoked = Retirada: la clave que la firmó ya no es de confianza.
ended-expired = Vencida.
ended-superseded = Reemplazada por una versión más nueva.

## Tiempo, respecto a ahora

time-just-now = ahora mismo
time-minutes-ago = { $n ->
    [one] hace 1 minuto
   *[other] hace { $n } minutos
}
time-hours-ago = { $n ->
    [one] hace 1 hora
   *[other] hace { $n } horas
}
time-days-ago = { $n ->
    [one] hace 1 día
   *[other] hace { $n } días
}

## Reportes (sin verificar)

reports-title = Reportes sin verificar
reports-intro = Enviados por miembros. Nadie los ha confirmado todavía: no actúe solo por ellos y no los comparta como hechos.
reports-none = No hay reportes sin verificar.
report-state-unverified = Sin verificar
report-state-confirmed = Confirmado por una alerta
report-state-dismissed = Descartado por un organizador
report-seen = Visto { $ago }
report-more = Ver reportes anteriores

## Reportar lo que ve

report-title = Reportar lo que ve
report-intro = Su reporte llega a los organizadores de su comunidad. Los demás lo ven como sin verificar hasta que un organizador lo confirme.
report-category = ¿Qué vio?
report-area = ¿Dónde?
report-area-named = Elija un lugar
report-area-none = Todavía no hay lugares con nombre: use su ubicación o escriba un código de zona.
report-area-code = O un código de zona
report-area-code-hint = Un código corto de la zona, como 9q8yy. Pregunte a sus organizadores.
report-use-location = Usar mi ubicación
report-location-privacy = Su ubicación exacta nunca sale de este teléfono: solo se envía una zona del tamaño de un barrio.
report-location-failed = Su ubicación no está disponible. Elija un lugar.
report-when = ¿Cuándo?
report-when-now = Ahora mismo
report-when-15 = Hace unos 15 minutos
report-when-60 = Hace como una hora
report-text = Describa lo que ve
report-text-hint = Cuántos agentes o vehículos, qué están haciendo. Sin nombres, caras ni placas de vecinos.
report-send = Enviar reporte
report-sent-title = Reporte enviado
report-sent = Gracias. Los organizadores lo revisarán. Hasta que uno lo confirme, se muestra como sin verificar.
report-sent-queued = Guardado. Su nodo no está conectado ahora: enviará el reporte en cuanto pueda.
report-another = Enviar otro reporte

## Ayuda cerca de usted

help-title = Ayuda cerca de usted
help-intro = Ayuda legal, líneas de ayuda, albergues y más, publicados por los organizadores que usted sigue.
help-none = Nada coincide. Pruebe con menos filtros.
help-filters = Filtrar
help-kind = Tipo de ayuda
help-kind-all = Todos los tipos
help-language = Idioma que hablan
help-language-any = Cualquier idioma
help-free = Gratis
help-no-id = Sin pedir identificación
help-confidential = Confidencial
help-walk-in = Sin cita
help-open-now = Abierto ahora
help-apply = Aplicar
help-call = Llamar al { $phone }
help-website = Sitio web
help-address = Dirección
help-hours = Horario
help-languages = Hablan
help-event-when = De { $start } a { $end }

kind-legal_aid = Ayuda legal
kind-helpline = Línea de ayuda
kind-shelter = Albergue
kind-food = Comida
kind-medical = Atención médica
kind-transport = Transporte
kind-workshop = Taller
kind-event = Evento
kind-other = Otro

## Ajustes

settings-title = Ajustes
settings-languages = Idiomas
settings-languages-hint = Las alertas se muestran en el primero de estos idiomas que traigan.
settings-areas = Zonas de interés
settings-areas-hint = Solo se muestran alertas de estas zonas. Déjelo vacío para todas.
settings-places = Lugares que sigue
settings-places-hint = Nombrados por sus organizadores. Los lugares marcados se suman a las zonas de arriba.
settings-follow = Listas que sigue
settings-follow-hint = Una alerta cuenta como verificada solo si la firman organizadores de estas listas.
settings-notifications = Notificaciones
settings-notify-severe = Avisarme de alertas graves en mis zonas
settings-sound = Sonar
settings-push = Avisarme con la aplicación cerrada (Web Push)
settings-push-privacy = Con esto activado, el servicio de notificaciones del fabricante de este dispositivo (Google, Apple o Mozilla) sabe cuándo este dispositivo recibe una notificación y de qué nodo, pero no lo que dice: está cifrada solo para este dispositivo. Su nodo guarda la dirección de notificaciones de este dispositivo hasta que usted lo desactive.
settings-save = Guardar
settings-saved = Guardado.

## Estado

status-title = Estado
status-connected = { $peers ->
    [0] Todavía sin conexión con nadie.
    [one] Conectado a 1 nodo.
   *[other] Conectado a { $peers } nodos.
}
status-catch-up = Última puesta al día: { $ago }
status-catch-up-never = Todavía sin ponerse al día.
status-reach = Cómo llegan otros a este nodo
status-community = Comunidad

## Entrar y la clave

signin-title = Entrar
signin-intro = Para abrir Aviso en este navegador, ejecute `aviso web` en la computadora donde corre su nodo y abra el enlace que muestra.
signin-used = Este enlace ya se usó o venció. Ejecute `aviso web` otra vez para uno nuevo.
unlock-title = Desbloquear su clave
unlock-intro = Enviar un reporte o una alerta requiere su firma. Su clave se queda en su nodo; esto la desbloquea por { $minutes } minutos sin actividad.
unlock-passphrase = Frase de contraseña
unlock-submit = Desbloquear
unlock-wrong = Frase incorrecta. Intente de nuevo.
unlock-wait = Demasiados intentos. Espere { $seconds } segundos.
unlock-state-locked = Su clave está bloqueada.
unlock-state-unlocked = Su clave está desbloqueada.
lock-now = Bloquear ahora

## Errores de formulario

error-title = Revise el formulario
error-required = Falta { $field }.
error-too-long = { $field } es demasiado largo: { $length } caracteres, máximo { $limit }.
error-area = { $field }: «{ $value }» no es un código de zona. Use letras y números, como 9q8yy.
error-category = Elija qué vio.
error-generic = No funcionó: { $why }
error-not-found = Página no encontrada.
error-forbidden = Se rechazó esta solicitud. Abra Aviso desde su propia dirección.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = Activar en este dispositivo
push-state-on = Este dispositivo recibe notificaciones con la aplicación cerrada.
push-state-off = Desactivado en este dispositivo.
push-denied = Las notificaciones están bloqueadas para este sitio en la configuración del navegador.
push-failed = No funcionó. Inténtelo más tarde.
push-title = { $severity }: { $category }
status-reach-direct = Otros nodos pueden llegar a este nodo directamente.
status-reach-direct-relay = Otros nodos pueden llegar a este nodo directamente, y este nodo hace de relé para la comunidad.
status-reach-relayed = Detrás de un router: otros nodos llegan a este nodo a través de un relé de la comunidad.
status-reach-unknown = Todavía no es accesible: ningún otro nodo ha confirmado una dirección de este nodo.
label-list-owner = dueño de la lista

## Teléfonos en la red de casa: emparejar y dispositivos emparejados. (Nuevo: necesita revisión nativa.)
pair-title = Emparejar este teléfono
pair-intro = Esto conecta este teléfono o tableta con su nodo por la red de su casa. Use el enlace o el código que muestra `aviso web pair` en la computadora donde corre su nodo.
pair-code = Código de emparejamiento
pair-code-hint = Se llena desde el código QR. Funciona una sola vez, durante 10 minutos.
pair-name = Nombre de este dispositivo
pair-name-hint = Para reconocerlo en la lista de dispositivos emparejados.
pair-submit = Emparejar
pair-trust-title = Confiar en este nodo (opcional)
pair-trust-intro = Instale el certificado de su nodo para que este teléfono pueda instalar la aplicación y abrirla sin red. Antes de instalarlo, compruebe que su huella SHA-256 sea exactamente esta, la misma que muestra `aviso web pair`:
pair-trust-download = Descargar el certificado del nodo
pair-trust-optional = Sin él, las páginas funcionan igual en el navegador, después de su aviso sobre el certificado. En docs/phones.md están los pasos para Android y iPhone.
pair-refused = Este código es incorrecto, ya se usó o venció. Ejecute `aviso web pair` otra vez para uno nuevo.
pair-too-many = Demasiados códigos incorrectos. Ejecute `aviso web pair` otra vez para uno nuevo.
pair-full = Hay demasiados dispositivos emparejados. Revoque uno en Ajustes, en la computadora donde corre su nodo.
devices-title = Dispositivos emparejados
devices-hint = Teléfonos y tabletas que abren Aviso por la red de su casa. Al revocar uno, se cierra su sesión de inmediato.
devices-none = Todavía no hay ningún dispositivo emparejado.
devices-revoke = Revocar
devices-when = emparejado { $paired }, último uso { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = Borrado de emergencia
settings-panic-hint = Si le quitan este dispositivo, o está por pasar, borre todo lo que Aviso guarda en él: mensajes, claves, ajustes.
settings-panic-open = Borrar este dispositivo…
panic-title = ¿Borrar todo en este dispositivo?
panic-explain = Esto destruye su clave de firma y todo lo que este nodo ha guardado, de inmediato y para siempre. Nadie podrá leerlo después, ni usted. Para volver a usar Aviso necesitará una invitación.
panic-confirm = Borrar todo ahora
panic-cancel = Cancelar y volver a los ajustes
pairing-button = Emparejar un teléfono
pairing-title = Emparejar un teléfono
pairing-step-wifi = Conecte el teléfono a la misma red Wi-Fi que esta computadora.
pairing-step-scan = Escanee este código con la cámara del teléfono, o abra la dirección en el teléfono y escriba el código.
pairing-address = Dirección
pairing-code = Código
pairing-step-trust = Luego el teléfono ofrece el certificado de su nodo, para poder instalar la aplicación. Su huella debe ser exactamente:
pairing-expires = { $minutes ->
    [one] El código sirve una sola vez, durante { $minutes } minuto.
   *[other] El código sirve una sola vez, durante { $minutes } minutos.
}
pairing-again = Crear un código nuevo
pairing-back = Volver a la configuración
pairing-qr-label = Código QR de la dirección de emparejamiento
pairing-off = Los teléfonos en su red de casa están desactivados. Para activarlos, ejecute `aviso web pair --enable` en esta computadora y reinicie el nodo (o inícielo con `aviso node --lan`).
