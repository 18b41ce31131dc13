# Le bureau des organisateurs : la liste de confiance, les avis de ressources et les invitations.

lists-nav = Listes des organisateurs
lists-trust-title = Liste de confiance
lists-resources-title = Avis de ressources
lists-invites-title = Invitations
lists-no-community = Ce nœud n’a encore rejoint aucune communauté.
lists-sign-what = Ce que vous allez signer

## Liste de confiance

lists-trust-intro = À qui votre communauté fait confiance : les organisateurs signent les alertes et les avis de ressources, les membres envoient des signalements. Les changements restent un brouillon jusqu’à ce que vous les publiiez.
lists-trust-never-published = jamais publiée
lists-trust-published-version = version { $version } publiée
lists-trust-draft-pending = brouillon de la version { $version } avec des changements non publiés ({ $published })
lists-trust-none-published = aucune liste publiée pour l’instant
lists-trust-read-only = Seul le propriétaire de cette liste peut la modifier. Vous voyez la version publiée.
lists-trust-saved = Brouillon enregistré. Publiez-le quand vous êtes prêt.
lists-trust-saved-revoked = Clé révoquée dans le brouillon. Publiez vite : cela prend effet quand les nœuds reçoivent la liste.
lists-trust-published = Version { $version } publiée. Les nœuds la suivent dès qu’ils la reçoivent.
lists-trust-entries = Personnes sur la liste
lists-trust-no-entries = Personne n’est encore sur la liste.
lists-trust-revoked = Clés révoquées
lists-trust-thresholds = Signatures nécessaires
lists-trust-no-thresholds = La signature d’un seul organisateur suffit pour toutes les catégories.
lists-trust-delegates = Listes auxquelles vous faites confiance
lists-trust-back = Retour à la liste de confiance
lists-threshold-row = { $category } : { $k } signatures
lists-threshold-category = Catégorie
lists-threshold-k = Signatures nécessaires (de 1 à 8)
lists-threshold-set = Fixer
lists-change = Modifier
lists-remove = Retirer
lists-revoke = Révoquer
lists-revoke-hint = Pour une clé perdue, volée ou mal utilisée. Ce qu’elle a signé n’est plus digne de confiance, et elle ne peut pas être remise sur la liste.
lists-revoke-reason = Motif
lists-revoke-since = Ne plus faire confiance à
lists-revoke-since-now = seulement ce qu’elle signera à partir de maintenant
lists-revoke-since-date = ce qu’elle a signé à partir d’une date
lists-revoke-date = Date
lists-since-everything = plus rien de ce qu’elle a signé n’est digne de confiance
lists-since-date = ce qu’elle a signé depuis le { $date } n’est pas digne de confiance
lists-role-organizer = organisateur (signe les alertes et les avis de ressources)
lists-role-member = membre (envoie des signalements)
lists-scope = { $role } ; { $areas } ; { $categories } ; { $until }
lists-scope-everywhere = partout
lists-scope-all-categories = toutes les catégories et les avis de ressources
lists-scope-until = jusqu’au { $date }
lists-scope-with-list = aussi longtemps que la liste
lists-delegate-scope = { $areas } ; { $categories }
lists-add-title = Ajouter quelqu’un
lists-add-change-title = Modifier une entrée
lists-add-key = Sa clé publique
lists-add-key-hint = 64 caractères, affichés par « aviso id » sur son appareil. Vérifiez l’empreinte avec la personne en face à face.
lists-add-label = Nom sur la liste
lists-add-role = Ce qu’elle peut faire
lists-add-areas = Zones
lists-add-areas-hint = Codes de zone séparés par des virgules, comme 9q8yy. Laissez vide pour partout.
lists-add-categories = Catégories
lists-add-categories-hint = Aucune cochée : toutes les catégories et les avis de ressources.
lists-add-expires = Jusqu’au
lists-add-expires-hint = Une date (2027-06-30) ou une durée (90d). Vide : aussi longtemps que la liste.
lists-add-submit = Ajouter au brouillon
lists-add-change-submit = Enregistrer la modification
lists-error-key = Ce n’est pas une clé publique : collez les 64 caractères affichés par « aviso id ».
lists-error-revoked = { $fingerprint } est révoquée : une clé révoquée ne peut plus redevenir digne de confiance. Son propriétaire a besoin d’une nouvelle clé.
lists-error-not-listed = { $fingerprint } n’est pas sur la liste.
lists-error-own-key = Vous ne pouvez ni révoquer votre propre clé ni lui déléguer sur votre propre liste.
lists-error-expires = Donnez une date comme 2027-06-30, ou une durée comme 90d.
lists-error-expires-past = Cette date est passée. Donnez-en une plus tardive.
lists-error-since-future = Cette date est dans le futur : ce que la clé signerait d’ici là resterait digne de confiance. Choisissez une date passée ou « à partir de maintenant ».
lists-error-date = Donnez la date à partir de laquelle on ne fait plus confiance à la clé.
lists-error-threshold = Donnez un nombre de 1 à { $max }.

## Publier la liste de confiance

lists-publish-title = Publier la liste de confiance
lists-publish-review = Vérifier et publier
lists-publish-changes = Ce qui change par rapport à la version publiée
lists-publish-nothing = Le brouillon est identique à la version publiée : rien à publier.
lists-publish-stale = Le brouillon a changé depuis que vous l’avez regardé. Vérifiez de nouveau les changements.
lists-publish-signs = Votre clé { $fingerprint } signe la liste « { $name } », version { $version }, valable jusqu’au { $until }. Chaque nœud de la communauté la suit dès qu’il la reçoit.
lists-publish-confirm = Signer et publier
lists-publish-unlock = Déverrouillez votre clé pour signer
lists-diff-renamed = Liste renommée de « { $from } » en « { $to } »
lists-diff-added = Ajouter { $label } ({ $fingerprint }) : { $scope }
lists-diff-removed = Retirer { $label } ({ $fingerprint }) de la liste
lists-diff-changed = Modifier { $label } ({ $fingerprint }) : avant { $old }. Désormais { $new }
lists-diff-changed-renamed = Modifier { $was }, désormais { $label } ({ $fingerprint }) : avant { $old }. Désormais { $new }
lists-diff-revoked = Révoquer { $fingerprint } : { $since }. Motif : { $reason }
lists-diff-unrevoked = Lever la révocation de { $fingerprint }
lists-diff-threshold = { $category } : { $from } → { $to } { $to ->
    [one] signature nécessaire
   *[other] signatures nécessaires
}
lists-diff-delegate-added = Faire confiance à la liste de { $label } ({ $fingerprint }) : { $scope }
lists-diff-delegate-removed = Ne plus faire confiance à la liste de { $label } ({ $fingerprint })
lists-diff-delegate-changed = Modifier la délégation de { $label } ({ $fingerprint }) : désormais { $scope }

## Avis de ressources

lists-resources-intro = Aide juridique, lignes d’écoute, hébergements, nourriture, événements : ce que les membres trouvent sous Aide. Une nouvelle version remplace l’ancienne.
lists-resources-yours = Vos avis
lists-resources-none = Vous n’avez encore publié aucun avis.
lists-resource-new = Nouvel avis
lists-resource-update-title = Mettre à jour un avis
lists-resource-update = Mettre à jour
lists-resource-withdraw = Retirer
lists-resource-kind = Type
lists-resource-text-1 = Nom et texte
lists-resource-text-2 = Dans une deuxième langue
lists-resource-name = Nom
lists-resource-description = Ce qui est offert, et à qui
lists-resource-hours = Horaires
lists-resource-areas = Zone desservie
lists-resource-phone = Téléphone
lists-resource-url = Adresse web
lists-resource-address = Adresse
lists-resource-address-hint = Seulement une adresse publique. Jamais un lieu d’hébergement protégé.
lists-resource-flags = Bon à savoir
lists-resource-free = Gratuit
lists-resource-no-id = Aucune pièce d’identité demandée
lists-resource-confidential = Confidentiel
lists-resource-walk-in = Sans rendez-vous
lists-resource-expires = Affiché pendant
lists-resource-expires-days = { $days } jours
lists-resource-signs = Votre clé { $fingerprint } signe cet avis ; chaque nœud de la communauté le montre aux membres jusqu’à son expiration ou son retrait.
lists-resource-submit = Signer et publier
lists-resource-update-submit = Signer et publier la nouvelle version
lists-resource-sent = Avis publié.
lists-resource-withdrawn = Avis retiré. Les membres ne le voient plus.
lists-resource-error-kind = Choisissez un type.

## Invitations

lists-invite-intro = Qui scanne ou colle cette invitation dans Aviso rejoint { $community }.
lists-invite-qr-label = Invitation à { $community } en code QR
lists-invite-scan = Scannez avec l’appareil photo du téléphone dans Aviso.
lists-invite-text = La même invitation en texte
lists-invite-text-hint = Copiez-la dans un message à une personne de confiance. Elle ne contient aucun secret, mais elle dit qui sont vos organisateurs.
lists-invite-too-long = Cette invitation est trop longue pour un code QR : donnez le texte.
lists-invite-gives = Ce qu’elle donne
lists-invite-gives-join = Elle fait rejoindre la communauté { $community }.
lists-invite-gives-roots = { $count ->
    [one] Elle fait suivre la liste de confiance de sa clé d’organisateur :
   *[other] Elle fait suivre les listes de confiance de ses { $count } clés d’organisateur :
}
lists-invite-gives-addresses = { $count ->
    [0] Elle ne porte aucune adresse de nœud : les téléphones ne trouvent votre nœud que sur le même réseau.
    [one] Elle porte une adresse de nœud où se connecter d’abord.
   *[other] Elle porte { $count } adresses de nœuds où se connecter d’abord.
}
lists-invite-gives-not = Elle ne fait de personne un membre ou un organisateur : pour cela, ajoutez sa clé à la liste de confiance.
lists-invite-valid = Combien de temps elle vaut
lists-invite-valid-text = Elle n’expire pas : elle vaut tant que les clés d’organisateur de la communauté restent les mêmes. Si ses adresses ne marchent plus, une nouvelle invitation de « aviso community invite --update » la remplace.
