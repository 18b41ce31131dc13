# Aviso, bureau des organisateurs (issue 13) : français.

nav-desk = Bureau
desk-title = Bureau des organisateurs
desk-back = Retour
desk-sections = Rubriques

## La clé et son verrou

desk-lock-unlocked = Votre clé de signature est déverrouillée. Elle se verrouille seule après { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
} sans usage.
desk-lock-locked = Votre clé de signature est verrouillée. Déverrouillez-la pour signer ; la clé ne quitte jamais votre nœud.
desk-lock-now = Verrouiller maintenant
desk-unlock = Déverrouiller la clé
desk-locked-sign = Votre clé de signature est verrouillée : déverrouillez-la, puis renvoyez. Rien n’a été signé.
desk-key-title = Votre clé
desk-key-fingerprint = Empreinte
desk-key-label = Nom sur la liste de confiance
desk-key-role = Rôle
desk-key-none = Ce nœud n’a pas de clé de signature.
desk-role-none = Vous n’êtes pas organisateur sur les listes que suit ce nœud : vos signatures d’alertes ne compteraient pas.
desk-role-organizer = Organisateur pour { $categories } dans { $areas }
desk-scope-everywhere = toutes les zones
desk-scope-every-category = toutes les catégories
desk-count-reports = { $count ->
    [one] 1 signalement ouvert
   *[other] { $count } signalements ouverts
}
desk-count-waiting = { $count ->
    [one] 1 alerte attend une signature
   *[other] { $count } alertes attendent des signatures
}
desk-counts = Votre signature compte : organisateur pour { $category } dans { $areas }.
desk-counts-more = Cette catégorie exige des cosignatures : les membres voient l’alerte quand { $more ->
    [one] 1 organisateur de plus l’aura signée
   *[other] { $more } organisateurs de plus l’auront signée
}.
desk-counts-not = Votre signature ne compterait pas : { $why }
desk-expired = Cette alerte a expiré : il n’y a rien à signer.

## Signalements

desk-reports-title = Signalements à vérifier
desk-reports-intro = Signalements non vérifiés des membres, les plus récents d’abord. Les signalements du même type dans la même zone à moins de 30 minutes d’écart sont regroupés.
desk-reports-none = Aucun signalement ouvert.
desk-reports-members = { $count ->
    [one] Signalé par 1 membre
   *[other] Signalé par { $count } membres
}
desk-confirm = Confirmer en alerte
desk-dismiss = Écarter
desk-dismiss-reason = Pourquoi écarter
desk-dismiss-false = Faux signalement
desk-dismiss-duplicate = Doublon
desk-dismiss-mistaken = Erreur
desk-dismiss-reason-missing = Choisissez pourquoi vous écartez ces signalements.
desk-dismissed = { $count ->
    [one] 1 signalement écarté.
   *[other] { $count } signalements écartés.
}

## Cosignatures

desk-cosign-title = Alertes à cosigner
desk-cosign-intro = Ces alertes exigent la signature de plus d’un organisateur. Les membres ne les voient pas tant qu’assez d’organisateurs n’ont pas signé. Lisez toute l’alerte avant de signer.
desk-cosign-none = Aucune alerte n’attend de signature.
desk-cosign-signed = Signée par { $names }
desk-cosign-missing = { $count ->
    [one] Il manque 1 signature
   *[other] Il manque { $count } signatures
}
desk-cosign-yours = Vous avez signé cette alerte : un autre organisateur doit la cosigner.
desk-cosign-endorse = Cosigner cette alerte
desk-cosign-done = Votre cosignature a été envoyée.

## Rédiger

desk-compose-title = Nouvelle alerte
desk-update-title = Mettre à jour l’alerte
desk-templates = Partir d’un modèle
desk-category = Catégorie
desk-severity = Gravité
desk-status = Type
desk-status-actual = Réelle
desk-status-exercise = Exercice
desk-areas = Codes de zone
desk-areas-hint = Codes de zone séparés par des virgules. Lieux nommés :
desk-place = Lieu, tel que les membres le lisent (facultatif)
desk-place-hint = Des mots publics seulement, comme un carrefour. Jamais l’adresse d’un domicile.
desk-expires = Affichée pendant
desk-expires-30m = 30 minutes
desk-expires-2h = 2 heures
desk-expires-6h = 6 heures
desk-expires-24h = 24 heures
desk-languages = Langues
desk-languages-hint = Codes de langue séparés par des virgules, comme en, es, ht. Laissez un titre vide pour omettre sa langue.
desk-languages-apply = Changer les langues
desk-headline = Titre
desk-description = Ce qui se passe
desk-instruction = Que faire
desk-instruction-standard = Consigne habituelle :
desk-instruction-raid = N’ouvrez pas la porte. Demandez à voir par la fenêtre un mandat signé par un juge. Vous avez le droit de garder le silence.
desk-instruction-checkpoint = Évitez la zone si vous le pouvez. Si vous êtes arrêté, vous avez le droit de garder le silence. Ne signez rien.
desk-instruction-detention = Appelez la ligne d’intervention rapide. Notez l’heure, le lieu et l’agence. Ne partagez pas de noms en public.
desk-instruction-patrol = Restez calme et évitez la zone. Ne courez pas. Partagez cette alerte avec vos voisins.
desk-instruction-other = Restez vigilant et suivez les consignes de vos organisateurs.
desk-preview = Aperçu
desk-preview-title = Ce que verront les membres
desk-sign-title = Ce que vous allez signer
desk-sign-what = Message
desk-sign-alert = Une nouvelle alerte
desk-sign-update = Une mise à jour de l’alerte { $id }
desk-sign-key = Signé avec votre clé
desk-sign-confirms = Confirme
desk-sign-confirms-count = { $count ->
    [one] 1 signalement de membre
   *[other] { $count } signalements de membres
}
desk-sign-send = Signer et envoyer
desk-sign-changed = Le formulaire a changé depuis l’aperçu : vérifiez le nouvel aperçu, puis signez à nouveau.
desk-template-name = Enregistrer ce formulaire comme modèle nommé
desk-template-save = Enregistrer le modèle
desk-template-saved = Modèle « { $name } » enregistré, chiffré sur votre nœud.
desk-template-delete = Supprimer
desk-template-delete-label = Supprimer le modèle « { $name } »
desk-template-deleted = Modèle « { $name } » supprimé.
desk-template-missing = Aucun modèle ne s’appelle « { $name } ».
desk-error-severity = Choisissez une gravité.
desk-error-expires = Choisissez combien de temps l’alerte est affichée.
desk-error-headline = Le bloc en { $language } a du texte mais pas de titre : ajoutez-en un.
desk-error-text = Écrivez un titre dans au moins une langue.
desk-sent = Alerte signée et envoyée.

## Une alerte

desk-alerts-title = Alertes
desk-alerts-shown = Visibles par les membres
desk-alerts-waiting = En attente de cosignatures
desk-alerts-ended = Terminées ou non affichées
desk-alerts-none = Aucune.
desk-alert-title = Alerte
desk-alert-shown = Visible par les membres.
desk-update = Mettre à jour
desk-cancel = Annuler
desk-all-clear = Fin de l’alerte
desk-end-reason = Une courte note pour les membres (facultatif)
desk-end-cancel-title = Annuler cette alerte ?
desk-end-cancel-what = Vous allez signer une annulation : les membres verront que l’alerte a été retirée, dans toutes ses langues.
desk-end-cancel-sign = Signer l’annulation
desk-end-all_clear-title = Déclarer la fin de l’alerte ?
desk-end-all_clear-what = Vous allez signer une fin d’alerte : les membres verront que le danger est passé.
desk-end-all_clear-sign = Signer la fin de l’alerte
desk-ended-cancel = Annulation signée et envoyée.
desk-ended-all_clear = Fin de l’alerte signée et envoyée.
desk-counts-more-end = Cette catégorie exige des cosignatures : cela prendra effet quand { $more ->
    [one] 1 organisateur de plus l’aura cosigné
   *[other] { $more } organisateurs de plus l’auront cosigné
} sur son bureau.
desk-cosign-kind-cancel = Une annulation de cette alerte :
desk-cosign-kind-all_clear = Une fin de cette alerte :
desk-cosign-kind-update = Une mise à jour : la nouvelle version de l’alerte.
desk-alert-not-shown = Non affichée aux membres : { $why }
