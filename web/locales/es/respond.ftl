# Responder a una alerta ("Voy a responder") y la vista de quienes responden en el escritorio.
respond-title = ¿Puede responder?
respond-count = { $count ->
    [0] Nadie está respondiendo todavía.
    [one] 1 persona está respondiendo.
   *[other] { $count } personas están respondiendo.
}
respond-privacy = Su respuesta se firma con su clave. Todos los nodos de la comunidad ven que su clave respondió a esta alerta. Los demás miembros solo ven cuántas personas responden; los organizadores ven los roles y las horas de llegada.
respond-role = Su rol
respond-role-legal-observer = Observador legal
respond-role-driver = Conductor
respond-role-interpreter = Intérprete
respond-role-accompaniment = Acompañamiento
respond-eta = ¿Cuándo puede llegar?
respond-eta-none = No estoy seguro
respond-eta-minutes = { $minutes ->
    [one] En 1 minuto
   *[other] En { $minutes } minutos
}
respond-going = Voy a responder
respond-cant = No puedo responder
respond-withdraw = Retirar mi respuesta
respond-locked = Su clave está bloqueada: desbloquéela para responder.
respond-unlock = Desbloquear su clave
respond-sent-going = Gracias. Su respuesta fue enviada: los organizadores ven que usted va en camino.
respond-sent-cant = Gracias. Su respuesta fue enviada.
respond-sent-withdrawn = Su respuesta fue retirada.
respond-failed = Su respuesta no fue enviada: { $why }
respond-bad-form = Elija un rol y una hora de la lista.
respond-not-live = Esta alerta terminó o expiró: ya no recibe respuestas.
desk-responses-title = Quienes responden
desk-responses-cant = { $count ->
    [0] Nadie dijo que no puede responder.
    [one] 1 persona no puede responder.
   *[other] { $count } personas no pueden responder.
}
desk-responses-role = Rol
desk-responses-count = Respondiendo
desk-responses-arrivals = Llegada prevista
desk-responses-in = { $minutes ->
    [0] ahora
    [one] en 1 minuto
   *[other] en { $minutes } minutos
}
desk-responses-no-eta = sin hora indicada
