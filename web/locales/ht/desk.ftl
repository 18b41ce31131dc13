# Aviso, biwo òganizatè yo (issue 13): kreyòl ayisyen.

nav-desk = Biwo
desk-title = Biwo òganizatè
desk-back = Retounen
desk-sections = Seksyon yo

## Kle a ak kadna li

desk-lock-unlocked = Kle siyati ou a louvri. L ap fèmen poukont li apre { $minutes ->
    [one] 1 minit
   *[other] { $minutes } minit
} si ou pa sèvi avè l.
desk-lock-locked = Kle siyati ou a fèmen. Louvri l pou w siyen; kle a pa janm soti nan nœud ou a.
desk-lock-now = Fèmen kounye a
desk-unlock = Louvri kle a
desk-locked-sign = Kle siyati ou a fèmen: louvri l, epi voye ankò. Anyen pa t siyen.
desk-key-title = Kle ou
desk-key-fingerprint = Anprent
desk-key-label = Non sou lis konfyans lan
desk-key-role = Wòl
desk-key-none = Nœud sa a pa gen kle siyati.
desk-role-none = Ou pa òganizatè sou lis nœud sa a swiv yo: siyati ou sou alèt pa t ap konte.
desk-role-organizer = Òganizatè pou { $categories } nan { $areas }
desk-scope-everywhere = tout zòn
desk-scope-every-category = tout kategori
desk-count-reports = { $count ->
    [one] 1 rapò ouvè
   *[other] { $count } rapò ouvè
}
desk-count-waiting = { $count ->
    [one] 1 alèt ap tann yon siyati
   *[other] { $count } alèt ap tann siyati
}
desk-counts = Siyati ou konte: òganizatè pou { $category } nan { $areas }.
desk-counts-more = Kategori sa a bezwen plis siyati: manm yo wè alèt la lè { $more ->
    [one] 1 lòt òganizatè siyen l
   *[other] { $more } lòt òganizatè siyen l
}.
desk-counts-not = Siyati ou pa t ap konte: { $why }
desk-expired = Alèt sa a ekspire: pa gen anyen pou siyen.

## Rapò yo

desk-reports-title = Rapò pou verifye
desk-reports-intro = Rapò manm yo ki poko verifye, sa ki pi nouvo yo an premye. Rapò menm kalite nan menm zòn nan mwens pase 30 minit youn ak lòt mete ansanm.
desk-reports-none = Pa gen rapò ouvè.
desk-reports-members = { $count ->
    [one] 1 manm rapòte sa
   *[other] { $count } manm rapòte sa
}
desk-confirm = Konfime kòm alèt
desk-dismiss = Rejte
desk-dismiss-reason = Poukisa rejte
desk-dismiss-false = Fo rapò
desk-dismiss-duplicate = Doub
desk-dismiss-mistaken = Erè
desk-dismiss-reason-missing = Chwazi poukisa ou rejte rapò sa yo.
desk-dismissed = { $count ->
    [one] 1 rapò rejte.
   *[other] { $count } rapò rejte.
}

## Ko-siyati

desk-cosign-title = Alèt pou ko-siyen
desk-cosign-intro = Alèt sa yo bezwen siyati plis pase yon òganizatè. Manm yo pa wè yo jiskaske ase òganizatè siyen. Li tout alèt la anvan ou siyen.
desk-cosign-none = Pa gen alèt k ap tann siyati.
desk-cosign-signed = Siyen pa { $names }
desk-cosign-missing = { $count ->
    [one] Li manke 1 siyati
   *[other] Li manke { $count } siyati
}
desk-cosign-yours = Ou siyen alèt sa a: yon lòt òganizatè dwe ko-siyen l.
desk-cosign-endorse = Ko-siyen alèt sa a
desk-cosign-done = Ko-siyati ou voye.

## Ekri

desk-compose-title = Nouvo alèt
desk-update-title = Mete alèt la ajou
desk-templates = Kòmanse ak yon modèl
desk-category = Kategori
desk-severity = Gravite
desk-status = Kalite
desk-status-actual = Vre
desk-status-exercise = Egzèsis
desk-areas = Kòd zòn
desk-areas-hint = Kòd zòn separe ak vigil. Kote ki gen non:
desk-place = Kote a, jan manm yo li l (si ou vle)
desk-place-hint = Sèlman mo piblik, tankou yon kwen lari. Pa janm adrès yon kay.
desk-expires = Parèt pandan
desk-expires-30m = 30 minit
desk-expires-2h = 2 èdtan
desk-expires-6h = 6 èdtan
desk-expires-24h = 24 èdtan
desk-languages = Lang yo
desk-languages-hint = Kòd lang separe ak vigil, tankou en, es, ht. Kite yon tit vid pou retire lang li.
desk-languages-apply = Chanje lang yo
desk-headline = Tit
desk-description = Sa k ap pase
desk-instruction = Sa pou fè
desk-instruction-standard = Enstriksyon abityèl:
desk-instruction-raid = Pa louvri pòt la. Mande wè yon manda yon jij siyen pa fenèt la. Ou gen dwa rete an silans.
desk-instruction-checkpoint = Evite zòn nan si ou kapab. Si yo kanpe w, ou gen dwa rete an silans. Pa siyen anyen.
desk-instruction-detention = Rele liy repons rapid la. Ekri lè a, kote a ak ajans lan. Pa pataje non an piblik.
desk-instruction-patrol = Rete kalm epi evite zòn nan. Pa kouri. Pataje alèt sa a ak vwazen ou yo.
desk-instruction-other = Rete vijilan epi swiv enstriksyon òganizatè ou yo.
desk-preview = Apèsi
desk-preview-title = Sa manm yo pral wè
desk-sign-title = Sa ou pral siyen
desk-sign-what = Mesaj
desk-sign-alert = Yon nouvo alèt
desk-sign-update = Yon mizajou alèt { $id }
desk-sign-key = Siyen ak kle ou
desk-sign-confirms = Konfime
desk-sign-confirms-count = { $count ->
    [one] 1 rapò manm
   *[other] { $count } rapò manm
}
desk-sign-send = Siyen epi voye
desk-sign-changed = Fòm nan chanje depi apèsi a: gade nouvo apèsi a, epi siyen ankò.
desk-template-name = Anrejistre fòm sa a kòm modèl ak non
desk-template-save = Anrejistre modèl la
desk-template-saved = Modèl “{ $name }” anrejistre, chifre sou nœud ou a.
desk-template-delete = Efase
desk-template-delete-label = Efase modèl “{ $name }” la
desk-template-deleted = Modèl “{ $name }” efase.
desk-template-missing = Pa gen modèl ki rele “{ $name }”.
desk-error-severity = Chwazi yon gravite.
desk-error-expires = Chwazi konbyen tan alèt la parèt.
desk-error-headline = Blòk { $language } a gen tèks men li pa gen tit: ajoute youn.
desk-error-text = Ekri yon tit nan omwen yon lang.
desk-sent = Alèt siyen epi voye.

## Yon alèt

desk-alerts-title = Alèt yo
desk-alerts-shown = Manm yo wè yo
desk-alerts-waiting = Ap tann ko-siyati
desk-alerts-ended = Fini oswa pa parèt
desk-alerts-none = Okenn.
desk-alert-title = Alèt
desk-alert-shown = Manm yo wè l.
desk-update = Mete ajou
desk-cancel = Anile
desk-all-clear = Danje a fini
desk-end-reason = Yon ti nòt pou manm yo (si ou vle)
desk-end-cancel-title = Anile alèt sa a?
desk-end-cancel-what = Ou pral siyen yon anilasyon: manm yo ap wè alèt la retire, nan tout lang li yo.
desk-end-cancel-sign = Siyen anilasyon an
desk-end-all_clear-title = Deklare danje a fini?
desk-end-all_clear-what = Ou pral siyen yon fen danje: manm yo ap wè danje a pase.
desk-end-all_clear-sign = Siyen fen danje a
desk-ended-cancel = Anilasyon siyen epi voye.
desk-ended-all_clear = Fen danje a siyen epi voye.
desk-counts-more-end = Kategori sa a bezwen plis siyati: sa ap pran efè lè { $more ->
    [one] 1 lòt òganizatè ko-siyen l
   *[other] { $more } lòt òganizatè ko-siyen l
} nan biwo pa yo.
desk-cosign-kind-cancel = Yon anilasyon alèt sa a:
desk-cosign-kind-all_clear = Yon fen danje pou alèt sa a:
desk-cosign-kind-update = Yon mizajou: nouvo vèsyon alèt la.
desk-alert-not-shown = Manm yo pa wè l: { $why }
