# Aviso, application web : français.

## Le cadre de chaque page

app-name = Aviso
skip-to-content = Aller au contenu
nav-label = Principal
nav-alerts = Alertes
nav-report = Signaler
nav-help = Aide
nav-settings = Réglages
nav-status = État
language-label = Langue
language-choose = Changer
footer-node = Servi par votre propre nœud Aviso. Rien sur ces pages ne vient d’ailleurs.

## Alertes

alerts-title = Alertes
alerts-intro = Alertes vérifiées par les organisateurs que vous suivez, les plus urgentes d’abord.
alerts-none = Aucune alerte vérifiée pour le moment.
alerts-none-areas = Aucune alerte vérifiée dans vos zones pour le moment.
alerts-live = Les nouvelles apparaissent ici d’elles-mêmes.
alerts-offline = Pas de connexion avec votre nœud : reconnexion…
alert-new = Nouvelle alerte
alert-what-to-do = Que faire
alert-what-happens = Ce qui se passe
alert-where = Où
alert-when = Depuis
alert-until = Jusqu’à { $time }
alert-updated = Mise à jour
alert-expires = Expire
alert-verified = { $count ->
    [one] Vérifiée par un organisateur de { $community }
   *[other] Vérifiée par { $count } organisateurs de { $community }
}
alert-verified-by = Signée par { $names }
alert-drill = Ceci est un exercice, pas une vraie alerte.
alert-test = Ceci est un test technique, pas une vraie alerte.
alert-other-languages = Lire en :
alert-show-more = Plus de détails
alert-signatures-waiting = { $have } signatures sur { $need }

severity-extreme = Danger extrême
severity-severe = Grave
severity-moderate = Modérée
severity-minor = Mineure
severity-unknown = Gravité inconnue

urgency-immediate = Agissez maintenant
urgency-expected = Agissez dans l’heure
urgency-future = Bientôt
urgency-past = Aucune action nécessaire
urgency-unknown = Délai inconnu

category-raid = Descente
category-checkpoint = Point de contrôle
category-detention = Arrestation
category-patrol = Agents en patrouille
category-other = Autre
category-geo = Séisme ou glissement de terrain
category-met = Météo
category-safety = Sécurité publique
category-security = Sécurité
category-rescue = Secours
category-fire = Incendie
category-health = Santé
category-env = Environnement
category-transport = Transports
category-infra = Électricité, eau ou téléphone
category-cbrne = Matières dangereuses
category-resources = Ressources

ended-title = Retirées récemment
ended-cancelled = Annulée : elle était fausse ou ne s’applique plus.
ended-all-clear = Fin de l’alerte : le danger est passé.
ended-retracted = Retirée par les organisateurs.
ended-revoked = Retirée : la clé qui l’a signée n’est plus de confiance.
ended-expired = Expirée.
ended-superseded = Remplacée par une version plus récente.

## Le temps, par rapport à maintenant

time-just-now = à l’instant
time-minutes-ago = { $n ->
    [one] il y a 1 minute
   *[other] il y a { $n } minutes
}
time-hours-ago = { $n ->
    [one] il y a 1 heure
   *[other] il y a { $n } heures
}
time-days-ago = { $n ->
    [one] il y a 1 jour
   *[other] il y a { $n } jours
}

## Signalements (non vérifiés)

reports-title = Signalements non vérifiés
reports-intro = Envoyés par des membres. Personne ne les a encore confirmés : n’agissez pas sur eux seuls et ne les partagez pas comme des faits.
reports-none = Aucun signalement non vérifié.
report-state-unverified = Non vérifié
report-state-confirmed = Confirmé par une alerte
report-state-dismissed = Écarté par un organisateur
report-seen = Vu { $ago }
report-more = Voir les signalements plus anciens

## Signaler ce que vous voyez

report-title = Signaler ce que vous voyez
report-intro = Votre signalement va aux organisateurs de votre communauté. Les autres le voient comme non vérifié jusqu’à ce qu’un organisateur le confirme.
report-category = Qu’avez-vous vu ?
report-area = Où ?
report-area-named = Choisissez un lieu
report-area-none = Pas encore de lieux nommés : utilisez votre position ou tapez un code de zone.
report-area-code = Ou un code de zone
report-area-code-hint = Un code court de la zone, comme 9q8yy. Demandez à vos organisateurs.
report-use-location = Utiliser ma position
report-location-privacy = Votre position exacte ne quitte jamais ce téléphone : seule une zone de la taille d’un quartier est envoyée.
report-location-failed = Votre position n’est pas disponible. Choisissez un lieu.
report-when = Quand ?
report-when-now = À l’instant
report-when-15 = Il y a environ 15 minutes
report-when-60 = Il y a environ une heure
report-text = Décrivez ce que vous voyez
report-text-hint = Combien d’agents ou de véhicules, ce qu’ils font. Pas de noms, de visages ni de plaques de voisins.
report-send = Envoyer le signalement
report-sent-title = Signalement envoyé
report-sent = Merci. Les organisateurs vont le vérifier. Tant qu’aucun ne l’a confirmé, il est affiché comme non vérifié.
report-sent-queued = Enregistré. Votre nœud n’est pas connecté pour le moment : il enverra le signalement dès que possible.
report-another = Envoyer un autre signalement

## Aide près de chez vous

help-title = Aide près de chez vous
help-intro = Aide juridique, lignes d’écoute, hébergements et plus, publiés par les organisateurs que vous suivez.
help-none = Rien ne correspond. Essayez avec moins de filtres.
help-filters = Filtrer
help-kind = Type d’aide
help-kind-all = Tous les types
help-language = Langue parlée
help-language-any = Toutes les langues
help-free = Gratuit
help-no-id = Sans pièce d’identité
help-confidential = Confidentiel
help-walk-in = Sans rendez-vous
help-open-now = Ouvert maintenant
help-apply = Appliquer
help-call = Appeler le { $phone }
help-website = Site web
help-address = Adresse
help-hours = Horaires
help-languages = Langues parlées
help-event-when = Du { $start } au { $end }

kind-legal_aid = Aide juridique
kind-helpline = Ligne d’écoute
kind-shelter = Hébergement
kind-food = Alimentation
kind-medical = Soins médicaux
kind-transport = Transport
kind-workshop = Atelier
kind-event = Événement
kind-other = Autre

## Réglages

settings-title = Réglages
settings-languages = Langues
settings-languages-hint = Les alertes s’affichent dans la première de ces langues qu’elles contiennent.
settings-areas = Zones d’intérêt
settings-areas-hint = Seules les alertes de ces zones s’affichent. Laissez vide pour partout.
settings-places = Lieux que vous suivez
settings-places-hint = Nommés par vos organisateurs. Les lieux cochés s’ajoutent aux zones ci-dessus.
settings-follow = Listes suivies
settings-follow-hint = Une alerte ne compte comme vérifiée que si elle est signée par des organisateurs de ces listes.
settings-notifications = Notifications
settings-notify-severe = Me prévenir des alertes graves dans mes zones
settings-sound = Jouer un son
settings-push = Me prévenir quand l’application est fermée (Web Push)
settings-push-privacy = Avec ceci activé, le service de notifications du fabricant de cet appareil (Google, Apple ou Mozilla) apprend quand cet appareil reçoit une notification et de quel nœud, mais pas ce qu’elle dit : elle est chiffrée pour cet appareil seul. Votre nœud garde l’adresse de notification de cet appareil jusqu’à ce que vous désactiviez ceci.
settings-save = Enregistrer
settings-saved = Enregistré.

## État

status-title = État
status-connected = { $peers ->
    [0] Connecté à personne pour l’instant.
    [one] Connecté à 1 nœud.
   *[other] Connecté à { $peers } nœuds.
}
status-catch-up = Dernière mise à jour : { $ago }
status-catch-up-never = Pas encore à jour.
status-reach = Comment les autres joignent ce nœud
status-community = Communauté

## Connexion et clé

signin-title = Se connecter
signin-intro = Pour ouvrir Aviso dans ce navigateur, lancez `aviso web` sur l’ordinateur où tourne votre nœud et ouvrez le lien qu’il affiche.
signin-used = Ce lien a déjà servi ou a expiré. Relancez `aviso web` pour en obtenir un nouveau.
unlock-title = Déverrouiller votre clé
unlock-intro = Envoyer un signalement ou une alerte demande votre signature. Votre clé reste dans votre nœud ; ceci la déverrouille pour { $minutes } minutes d’inactivité.
unlock-passphrase = Phrase secrète
unlock-submit = Déverrouiller
unlock-wrong = Phrase secrète incorrecte. Réessayez.
unlock-wait = Trop d’essais. Attendez { $seconds } secondes.
unlock-state-locked = Votre clé est verrouillée.
unlock-state-unlocked = Votre clé est déverrouillée.
lock-now = Verrouiller maintenant

## Erreurs de formulaire

error-title = Vérifiez le formulaire
error-required = { $field } est obligatoire.
error-too-long = { $field } est trop long : { $length } caractères, au plus { $limit }.
error-area = { $field } : « { $value } » n’est pas un code de zone. Utilisez des lettres et des chiffres, comme 9q8yy.
error-category = Choisissez ce que vous avez vu.
error-generic = Cela n’a pas marché : { $why }
error-not-found = Page introuvable.
error-forbidden = Cette demande a été refusée. Ouvrez Aviso depuis sa propre adresse.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = Activer sur cet appareil
push-state-on = Cet appareil reçoit les notifications quand l’application est fermée.
push-state-off = Désactivé sur cet appareil.
push-denied = Les notifications sont bloquées pour ce site dans les réglages du navigateur.
push-failed = Cela n’a pas marché. Réessayez plus tard.
push-title = { $severity } : { $category }
status-reach-direct = Les autres nœuds peuvent joindre ce nœud directement.
status-reach-direct-relay = Les autres nœuds peuvent joindre ce nœud directement, et il sert de relais à la communauté.
status-reach-relayed = Derrière un routeur : les autres nœuds joignent ce nœud par un relais de la communauté.
status-reach-unknown = Pas encore joignable : aucun autre nœud n’a confirmé une adresse de ce nœud.
label-list-owner = propriétaire de la liste

## Téléphones sur le réseau de la maison : appairage et appareils appairés. (Nouveau : relecture native nécessaire.)
pair-title = Appairer ce téléphone
pair-intro = Ceci relie ce téléphone ou cette tablette à votre nœud par le réseau de votre maison. Utilisez le lien ou le code qu’affiche `aviso web pair` sur l’ordinateur où tourne votre nœud.
pair-code = Code d’appairage
pair-code-hint = Rempli depuis le code QR. Il ne sert qu’une fois, pendant 10 minutes.
pair-name = Nom de cet appareil
pair-name-hint = Pour le reconnaître dans la liste des appareils appairés.
pair-submit = Appairer
pair-trust-title = Faire confiance à ce nœud (facultatif)
pair-trust-intro = Installez le certificat de votre nœud pour que ce téléphone puisse installer l’application et l’ouvrir sans réseau. Avant de l’installer, vérifiez que son empreinte SHA-256 est exactement celle-ci, la même que celle qu’affiche `aviso web pair` :
pair-trust-download = Télécharger le certificat du nœud
pair-trust-optional = Sans lui, les pages marchent quand même dans le navigateur, après son avertissement sur le certificat. docs/phones.md donne les étapes pour Android et iPhone.
pair-refused = Ce code est faux, a déjà servi ou a expiré. Relancez `aviso web pair` pour en obtenir un nouveau.
pair-too-many = Trop de codes faux. Relancez `aviso web pair` pour en obtenir un nouveau.
pair-full = Trop d’appareils sont appairés. Révoquez-en un dans Réglages, sur l’ordinateur où tourne votre nœud.
devices-title = Appareils appairés
devices-hint = Téléphones et tablettes qui ouvrent Aviso par le réseau de votre maison. En révoquer un le déconnecte tout de suite.
devices-none = Aucun appareil n'est encore associé.
devices-revoke = Révoquer
devices-when = appairé { $paired }, dernier usage { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = Effacement d'urgence
settings-panic-hint = Si cet appareil est saisi, ou risque de l'être, effacez tout ce qu'Aviso y garde : messages, clés, réglages.
settings-panic-open = Effacer cet appareil…
panic-title = Tout effacer sur cet appareil ?
panic-explain = Cela détruit votre clé de signature et tout ce que ce nœud a gardé, immédiatement et pour toujours. Personne ne pourra plus le lire, pas même vous. Pour utiliser Aviso à nouveau, il vous faudra une invitation.
panic-confirm = Tout effacer maintenant
panic-cancel = Annuler et revenir aux réglages
pairing-button = Associer un téléphone
pairing-title = Associer un téléphone
pairing-step-wifi = Connectez le téléphone au même Wi-Fi que cet ordinateur.
pairing-step-scan = Scannez ce code avec l'appareil photo du téléphone, ou ouvrez l'adresse sur le téléphone et tapez le code.
pairing-address = Adresse
pairing-code = Code
pairing-step-trust = Le téléphone propose ensuite le certificat de votre nœud, pour pouvoir installer l'application. Son empreinte doit être exactement :
pairing-expires = { $minutes ->
    [one] Le code ne sert qu'une fois, pendant { $minutes } minute.
   *[other] Le code ne sert qu'une fois, pendant { $minutes } minutes.
}
pairing-again = Créer un nouveau code
pairing-back = Retour aux réglages
pairing-qr-label = Code QR de l'adresse d'association
pairing-off = Les téléphones sur votre réseau domestique sont désactivés. Pour les activer, lancez `aviso web pair --enable` sur cet ordinateur et redémarrez le nœud (ou démarrez-le avec `aviso node --lan`).
