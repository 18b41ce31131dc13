# Reponn yon alèt ("M ap vini") ak lis moun k ap reponn nan biwo a.
respond-title = Èske ou ka vin ede?
respond-count = { $count ->
    [0] Pèsonn poko ap vini.
    [one] 1 moun ap vini.
   *[other] { $count } moun ap vini.
}
respond-privacy = Repons ou siyen ak kle ou. Tout nœud kominote a wè kle ou reponn alèt sa a. Lòt manm yo wè sèlman konbyen moun ap vini; òganizatè yo wè wòl yo ak lè moun ap rive.
respond-role = Wòl ou
respond-role-legal-observer = Obsèvatè legal
respond-role-driver = Chofè
respond-role-interpreter = Entèprèt
respond-role-accompaniment = Akonpayman
respond-eta = Kilè ou ka rive?
respond-eta-none = Mwen pa konnen
respond-eta-minutes = { $minutes ->
    [one] Nan 1 minit
   *[other] Nan { $minutes } minit
}
respond-going = M ap vini
respond-cant = Mwen pa ka vini
respond-withdraw = Retire repons mwen
respond-locked = Kle ou fèmen: louvri l pou reponn.
respond-unlock = Louvri kle ou
respond-sent-going = Mèsi. Repons ou ale: òganizatè yo wè ou sou wout.
respond-sent-cant = Mèsi. Repons ou ale.
respond-sent-withdrawn = Repons ou retire.
respond-failed = Repons ou pa ale: { $why }
respond-bad-form = Chwazi yon wòl ak yon lè nan lis la.
respond-not-live = Alèt sa a fini oswa li ekspire: li pa pran repons ankò.
desk-responses-title = Moun k ap vini
desk-responses-cant = { $count ->
    [0] Pèsonn pa di yo pa ka vini.
    [one] 1 moun pa ka vini.
   *[other] { $count } moun pa ka vini.
}
desk-responses-role = Wòl
desk-responses-count = K ap vini
desk-responses-arrivals = Lè y ap rive
desk-responses-in = { $minutes ->
    [0] kounye a
    [one] nan 1 minit
   *[other] nan { $minutes } minit
}
desk-responses-no-eta = pa gen lè
