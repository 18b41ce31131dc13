# Biwo òganizatè yo: lis konfyans lan, avi resous yo ak envitasyon yo.

lists-nav = Lis òganizatè yo
lists-trust-title = Lis konfyans
lists-resources-title = Avi resous
lists-invites-title = Envitasyon
lists-no-community = Nœud sa a poko antre nan okenn kominote.
lists-sign-what = Sa w pral siyen

## Lis konfyans

lists-trust-intro = Ki moun kominote w la fè konfyans: òganizatè yo siyen alèt ak avi resous, manm yo voye rapò. Chanjman yo se yon bouyon jiskaske w pibliye yo.
lists-trust-never-published = poko janm pibliye
lists-trust-published-version = vèsyon { $version } pibliye
lists-trust-draft-pending = bouyon vèsyon { $version } ak chanjman ki poko pibliye ({ $published })
lists-trust-none-published = poko gen lis ki pibliye
lists-trust-read-only = Se sèlman mèt lis sa a ki ka chanje l. Ou wè vèsyon ki pibliye a.
lists-trust-saved = Bouyon an anrejistre. Pibliye l lè w pare.
lists-trust-saved-revoked = Kle a revoke nan bouyon an. Pibliye vit: li pran efè lè nœud yo resevwa lis la.
lists-trust-published = Vèsyon { $version } pibliye. Nœud yo suiv li depi yo resevwa l.
lists-trust-entries = Moun ki sou lis la
lists-trust-no-entries = Poko gen pèsonn sou lis la.
lists-trust-revoked = Kle ki revoke
lists-trust-thresholds = Siyati ki nesesè
lists-trust-no-thresholds = Siyati yon sèl òganizatè ase pou tout kategori.
lists-trust-delegates = Lis ou fè konfyans
lists-trust-back = Retounen nan lis konfyans lan
lists-threshold-row = { $category }: { $k } siyati
lists-threshold-category = Kategori
lists-threshold-k = Siyati ki nesesè (1 rive 8)
lists-threshold-set = Fikse
lists-change = Chanje
lists-remove = Retire
lists-revoke = Revoke
lists-revoke-hint = Pou yon kle ki pèdi, yo vòlè oswa yo mal itilize. Sa li te siyen pa merite konfyans ankò, epi li pa ka tounen sou lis la.
lists-revoke-reason = Rezon
lists-revoke-since = Pa fè konfyans ankò
lists-revoke-since-now = sèlman sa l ap siyen apati kounye a
lists-revoke-since-date = sa l te siyen apati yon dat
lists-revoke-date = Dat
lists-since-everything = anyen li te janm siyen pa merite konfyans ankò
lists-since-date = sa l te siyen depi { $date } pa merite konfyans
lists-role-organizer = òganizatè (siyen alèt ak avi resous)
lists-role-member = manm (voye rapò)
lists-scope = { $role }; { $areas }; { $categories }; { $until }
lists-scope-everywhere = toupatou
lists-scope-all-categories = tout kategori ak avi resous
lists-scope-until = jiska { $date }
lists-scope-with-list = otan lis la dire
lists-delegate-scope = { $areas }; { $categories }
lists-add-title = Ajoute yon moun
lists-add-change-title = Chanje yon antre
lists-add-key = Kle piblik li
lists-add-key-hint = 64 karaktè, “aviso id” montre yo sou aparèy li. Verifye anprent lan avè l an pèsòn.
lists-add-label = Non sou lis la
lists-add-role = Sa li ka fè
lists-add-areas = Zòn
lists-add-areas-hint = Kòd zòn separe ak vigil, tankou 9q8yy. Kite l vid pou toupatou.
lists-add-categories = Kategori
lists-add-categories-hint = Si pa gen okenn ki make: tout kategori ak avi resous.
lists-add-expires = Jiska
lists-add-expires-hint = Yon dat (2027-06-30) oswa yon dire (90d). Vid: otan lis la dire.
lists-add-submit = Ajoute nan bouyon an
lists-add-change-submit = Anrejistre chanjman an
lists-error-key = Sa a se pa yon kle piblik: kole 64 karaktè “aviso id” montre yo.
lists-error-revoked = { $fingerprint } revoke: yon kle ki revoke pa ka merite konfyans ankò. Mèt li bezwen yon nouvo kle.
lists-error-not-listed = { $fingerprint } pa sou lis la.
lists-error-own-key = Ou pa ka revoke pwòp kle w ni delege ba li sou pwòp lis ou.
lists-error-expires = Bay yon dat tankou 2027-06-30, oswa yon dire tankou 90d.
lists-error-expires-past = Dat sa a pase deja. Bay yon dat pita.
lists-error-since-future = Dat sa a nan lavni: sa kle a ta siyen jiska lè sa a ta toujou merite konfyans. Chwazi yon dat ki pase oswa “apati kounye a”.
lists-error-date = Bay dat apati kilè yo pa fè kle a konfyans ankò.
lists-error-threshold = Bay yon nimewo ant 1 ak { $max }.

## Pibliye lis konfyans lan

lists-publish-title = Pibliye lis konfyans lan
lists-publish-review = Revize epi pibliye
lists-publish-changes = Sa ki chanje parapò ak vèsyon ki pibliye a
lists-publish-nothing = Bouyon an menm ak vèsyon ki pibliye a: pa gen anyen pou pibliye.
lists-publish-stale = Bouyon an chanje depi w te gade l. Verifye chanjman yo ankò.
lists-publish-signs = Kle w { $fingerprint } siyen lis “{ $name }”, vèsyon { $version }, ki valab jiska { $until }. Chak nœud nan kominote a suiv li depi li resevwa l.
lists-publish-confirm = Siyen epi pibliye
lists-publish-unlock = Louvri kle w pou siyen
lists-diff-renamed = Lis la chanje non soti “{ $from }” pou “{ $to }”
lists-diff-added = Ajoute { $label } ({ $fingerprint }): { $scope }
lists-diff-removed = Retire { $label } ({ $fingerprint }) sou lis la
lists-diff-changed = Chanje { $label } ({ $fingerprint }): anvan { $old }. Kounye a { $new }
lists-diff-changed-renamed = Chanje { $was }, kounye a { $label } ({ $fingerprint }): anvan { $old }. Kounye a { $new }
lists-diff-revoked = Revoke { $fingerprint }: { $since }. Rezon: { $reason }
lists-diff-unrevoked = Leve revokasyon { $fingerprint }
lists-diff-threshold = { $category }: { $from } → { $to } siyati nesesè
lists-diff-delegate-added = Fè konfyans lis { $label } ({ $fingerprint }): { $scope }
lists-diff-delegate-removed = Pa fè konfyans lis { $label } ({ $fingerprint }) ankò
lists-diff-delegate-changed = Chanje delegasyon { $label } ({ $fingerprint }): kounye a { $scope }

## Avi resous

lists-resources-intro = Èd legal, liy èd, abri, manje, evènman: sa manm yo jwenn nan Èd. Yon nouvo vèsyon ranplase ansyen an.
lists-resources-yours = Avi w yo
lists-resources-none = Ou poko pibliye okenn avi.
lists-resource-new = Nouvo avi
lists-resource-update-title = Mete yon avi ajou
lists-resource-update = Mete ajou
lists-resource-withdraw = Retire
lists-resource-kind = Kalite
lists-resource-text-1 = Non ak tèks
lists-resource-text-2 = Nan yon dezyèm lang
lists-resource-name = Non
lists-resource-description = Sa li ofri, pou ki moun
lists-resource-hours = Lè li louvri
lists-resource-areas = Zòn li sèvi
lists-resource-phone = Telefòn
lists-resource-url = Adrès sou entènèt
lists-resource-address = Adrès
lists-resource-address-hint = Sèlman yon adrès piblik. Janm yon kay sekirite.
lists-resource-flags = Bon pou konnen
lists-resource-free = Gratis
lists-resource-no-id = Yo pa mande pyès idantite
lists-resource-confidential = Konfidansyèl
lists-resource-walk-in = San randevou
lists-resource-expires = Montre pandan
lists-resource-expires-days = { $days } jou
lists-resource-signs = Kle w { $fingerprint } siyen avi sa a; chak nœud nan kominote a montre l bay manm yo jiskaske li ekspire oswa ou retire l.
lists-resource-submit = Siyen epi pibliye
lists-resource-update-submit = Siyen epi pibliye nouvo vèsyon an
lists-resource-sent = Avi a pibliye.
lists-resource-withdrawn = Avi a retire. Manm yo pa wè l ankò.
lists-resource-error-kind = Chwazi yon kalite.

## Envitasyon

lists-invite-intro = Moun ki eskane oswa kole envitasyon sa a nan Aviso antre nan { $community }.
lists-invite-qr-label = Envitasyon nan { $community } kòm kòd QR
lists-invite-scan = Eskane l ak kamera telefòn lan nan Aviso.
lists-invite-text = Menm envitasyon an an tèks
lists-invite-text-hint = Kopye l nan yon mesaj pou yon moun ou fè konfyans. Li pa gen okenn sekrè, men li di ki moun ki òganizatè w yo.
lists-invite-too-long = Envitasyon sa a twò long pou yon kòd QR: bay tèks la pito.
lists-invite-gives = Sa li bay
lists-invite-gives-join = Li fè moun nan antre nan kominote { $community }.
lists-invite-gives-roots = { $count ->
    [one] Li fè suiv lis konfyans kle òganizatè li a:
   *[other] Li fè suiv lis konfyans { $count } kle òganizatè li yo:
}
lists-invite-gives-addresses = { $count ->
    [0] Li pa pote okenn adrès nœud: telefòn yo jwenn nœud ou sèlman sou menm rezo a.
    [one] Li pote yon adrès nœud pou konekte an premye.
   *[other] Li pote { $count } adrès nœud pou konekte an premye.
}
lists-invite-gives-not = Li pa fè pèsonn vin manm ni òganizatè: pou sa, ajoute kle yo sou lis konfyans lan.
lists-invite-valid = Konbyen tan li valab
lists-invite-valid-text = Li pa ekspire: li valab otan kle òganizatè kominote a rete menm. Si adrès ki ladan l yo sispann mache, yon nouvo envitasyon “aviso community invite --update” ranplase l.
