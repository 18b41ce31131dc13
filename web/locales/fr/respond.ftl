# Répondre à une alerte (« J'interviens ») et la vue des intervenants au bureau.
respond-title = Pouvez-vous intervenir ?
respond-count = { $count ->
    [0] Personne n'intervient encore.
    [one] 1 personne intervient.
   *[other] { $count } personnes interviennent.
}
respond-privacy = Votre réponse est signée avec votre clé. Tous les nœuds de la communauté voient que votre clé a répondu à cette alerte. Les autres membres voient seulement combien de personnes interviennent ; les organisateurs voient les rôles et les heures d'arrivée.
respond-role = Votre rôle
respond-role-legal-observer = Observateur juridique
respond-role-driver = Chauffeur
respond-role-interpreter = Interprète
respond-role-accompaniment = Accompagnement
respond-eta = Quand pouvez-vous être là ?
respond-eta-none = Je ne sais pas
respond-eta-minutes = { $minutes ->
    [one] Dans 1 minute
   *[other] Dans { $minutes } minutes
}
respond-going = J'interviens
respond-cant = Je ne peux pas intervenir
respond-withdraw = Retirer ma réponse
respond-locked = Votre clé est verrouillée : déverrouillez-la pour répondre.
respond-unlock = Déverrouiller votre clé
respond-sent-going = Merci. Votre réponse a été envoyée : les organisateurs voient que vous êtes en route.
respond-sent-cant = Merci. Votre réponse a été envoyée.
respond-sent-withdrawn = Votre réponse a été retirée.
respond-failed = Votre réponse n'a pas été envoyée : { $why }
respond-bad-form = Choisissez un rôle et une heure dans la liste.
respond-not-live = Cette alerte est terminée ou expirée : elle ne reçoit plus de réponses.
desk-responses-title = Intervenants
desk-responses-cant = { $count ->
    [0] Personne n'a dit ne pas pouvoir intervenir.
    [one] 1 personne ne peut pas intervenir.
   *[other] { $count } personnes ne peuvent pas intervenir.
}
desk-responses-role = Rôle
desk-responses-count = En route
desk-responses-arrivals = Arrivée prévue
desk-responses-in = { $minutes ->
    [0] maintenant
    [one] dans 1 minute
   *[other] dans { $minutes } minutes
}
desk-responses-no-eta = sans heure indiquée
