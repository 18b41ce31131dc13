# Aviso, aplikasyon wèb: kreyòl ayisyen. Bezwen yon moun ki pale l natifnatal revize l.

## Ankadreman chak paj

app-name = Aviso
skip-to-content = Ale dirèkteman nan kontni an
nav-label = Prensipal
nav-alerts = Alèt
nav-report = Rapòte
nav-help = Èd
nav-settings = Paramèt
nav-status = Eta
language-label = Lang
language-choose = Chanje
footer-node = Se pwòp nœud Aviso ou ki bay paj sa yo. Anyen sou yo pa soti yon lòt kote.

## Alèt

alerts-title = Alèt
alerts-intro = Alèt òganizatè ou swiv yo verifye, sa ki pi ijan yo an premye.
alerts-none = Pa gen alèt verifye kounye a.
alerts-none-areas = Pa gen alèt verifye nan zòn ou yo kounye a.
alerts-live = Nouvèl yo parèt la pou kont yo.
alerts-offline = Pa konekte ak nœud ou: n ap eseye ankò…
alert-new = Nouvo alèt
alert-what-to-do = Sa pou w fè
alert-what-happens = Sa k ap pase
alert-where = Ki kote
alert-when = Depi
alert-until = Jiska { $time }
alert-updated = Mete ajou
alert-expires = Fini
alert-verified = { $count ->
    [one] Yon òganizatè { $community } verifye l
   *[other] { $count } òganizatè { $community } verifye l
}
alert-verified-by = { $names } siyen l
alert-drill = Sa a se yon egzèsis, se pa yon vrè alèt.
alert-test = Sa a se yon tès teknik, se pa yon vrè alèt.
alert-other-languages = Li l nan:
alert-show-more = Plis detay
alert-signatures-waiting = { $have } siyati sou { $need }

severity-extreme = Danje ekstrèm
severity-severe = Grav
severity-moderate = Mwayen
severity-minor = Piti
severity-unknown = Nou pa konnen gravite a

urgency-immediate = Aji kounye a
urgency-expected = Aji nan inèdtan k ap vini an
urgency-future = Talè
urgency-past = Pa bezwen fè anyen
urgency-unknown = Nou pa konnen kilè

category-raid = Rafle
category-checkpoint = Baraj kontwòl
category-detention = Arestasyon
category-patrol = Ajan k ap patwouye
category-other = Lòt
category-geo = Tranblemanntè oswa glisman tè
category-met = Move tan
category-safety = Sekirite piblik
category-security = Sekirite
category-rescue = Sekou
category-fire = Dife
category-health = Sante
category-env = Anviwònman
category-transport = Transpò
category-infra = Kouran, dlo oswa telefòn
category-cbrne = Pwodwi danjere
category-resources = Resous

ended-title = Sa yo retire dènyèman
ended-cancelled = Anile: li te fo oswa li pa aplike ankò.
ended-all-clear = Danje a fini.
ended-retracted = Òganizatè yo retire l.
ended-revoked = Retire: yo pa fè kle ki te siyen l lan konfyans ankò.
ended-expired = Li fini.
ended-superseded = Yon vèsyon ki pi nouvo ranplase l.

## Tan, konpare ak kounye a

time-just-now = kounye a menm
time-minutes-ago = { $n ->
    [one] gen 1 minit
   *[other] gen { $n } minit
}
time-hours-ago = { $n ->
    [one] gen 1 è
   *[other] gen { $n } è
}
time-days-ago = { $n ->
    [one] gen 1 jou
   *[other] gen { $n } jou
}

## Rapò (ki poko verifye)

reports-title = Rapò ki poko verifye
reports-intro = Se manm ki voye yo. Pèsonn poko konfime yo: pa aji sou yo sèlman, epi pa pataje yo tankou se verite.
reports-none = Pa gen rapò ki poko verifye.
report-state-unverified = Poko verifye
report-state-confirmed = Yon alèt konfime l
report-state-dismissed = Yon òganizatè rejte l
report-seen = Wè { $ago }
report-more = Wè rapò ki pi ansyen yo

## Rapòte sa w wè

report-title = Rapòte sa w wè
report-intro = Rapò ou a ale bay òganizatè kominote w la. Lòt moun wè l kòm "poko verifye" jiskaske yon òganizatè konfime l.
report-category = Kisa w te wè?
report-area = Ki kote?
report-area-named = Chwazi yon kote
report-area-none = Poko gen kote ki gen non: sèvi ak pozisyon w oswa tape yon kòd zòn.
report-area-code = Oswa yon kòd zòn
report-area-code-hint = Yon ti kòd pou zòn nan, tankou 9q8yy. Mande òganizatè ou yo.
report-use-location = Sèvi ak pozisyon mwen
report-location-privacy = Pozisyon egzak ou pa janm kite telefòn sa a: se sèlman yon zòn ki gwosè yon katye yo voye.
report-location-failed = Pozisyon ou pa disponib. Chwazi yon kote pito.
report-when = Kilè?
report-when-now = Kounye a menm
report-when-15 = Gen anviwon 15 minit
report-when-60 = Gen anviwon inèdtan
report-text = Dekri sa w wè
report-text-hint = Konbyen ajan oswa machin, kisa y ap fè. Pa mete non, figi oswa plak machin vwazen.
report-send = Voye rapò a
report-sent-title = Rapò a ale
report-sent = Mèsi. Òganizatè yo pral tcheke l. Jiskaske youn konfime l, l ap parèt kòm poko verifye.
report-sent-queued = Anrejistre. Nœud ou pa konekte kounye a: l ap voye rapò a depi li kapab.
report-another = Voye yon lòt rapò

## Èd toupre w

help-title = Èd toupre w
help-intro = Èd legal, liy telefòn pou èd, abri ak plis ankò, òganizatè ou swiv yo pibliye.
help-none = Anyen pa koresponn. Eseye ak mwens filt.
help-filters = Filtre
help-kind = Ki kalite èd
help-kind-all = Tout kalite
help-language = Lang yo pale
help-language-any = Nenpòt lang
help-free = Gratis
help-no-id = Yo pa mande papye
help-confidential = Konfidansyèl
help-walk-in = Pa bezwen randevou
help-open-now = Louvri kounye a
help-apply = Aplike
help-call = Rele { $phone }
help-website = Sit wèb
help-address = Adrès
help-hours = Lè
help-languages = Yo pale
help-event-when = Soti { $start } rive { $end }

kind-legal_aid = Èd legal
kind-helpline = Liy pou èd
kind-shelter = Abri
kind-food = Manje
kind-medical = Swen medikal
kind-transport = Transpò
kind-workshop = Atelye
kind-event = Evènman
kind-other = Lòt

## Paramèt

settings-title = Paramèt
settings-languages = Lang
settings-languages-hint = Alèt yo parèt nan premye lang sa yo yo genyen.
settings-areas = Zòn ki enterese w
settings-areas-hint = Se sèlman alèt zòn sa yo ki parèt. Kite l vid pou tout kote.
settings-places = Kote w ap swiv
settings-places-hint = Se òganizatè w yo ki ba yo non. Kote ou make yo ajoute sou zòn anwo yo.
settings-follow = Lis ou swiv
settings-follow-hint = Yon alèt konte kòm verifye sèlman si òganizatè sou lis sa yo siyen l.
settings-notifications = Notifikasyon
settings-notify-severe = Avèti m pou alèt grav nan zòn mwen yo
settings-sound = Fè yon son
settings-push = Avèti m menm lè aplikasyon an fèmen (Web Push)
settings-push-privacy = Lè sa a aktive, sèvis notifikasyon konpayi ki fè aparèy sa a (Google, Apple oswa Mozilla) konnen kilè aparèy sa a resevwa yon notifikasyon ak ki nœud ki voye l, men li pa konnen sa l di: li chifre pou aparèy sa a sèlman. Nœud ou a kenbe adrès notifikasyon aparèy sa a jiskaske ou dezaktive sa a.
settings-save = Anrejistre
settings-saved = Anrejistre.

## Eta

status-title = Eta
status-connected = { $peers ->
    [0] Poko konekte ak pèsonn.
    [one] Konekte ak 1 nœud.
   *[other] Konekte ak { $peers } nœud.
}
status-catch-up = Dènye mizajou: { $ago }
status-catch-up-never = Poko mete ajou.
status-reach = Kijan lòt moun jwenn nœud sa a
status-community = Kominote

## Antre ak kle a

signin-title = Antre
signin-intro = Pou louvri Aviso nan navigatè sa a, lanse `aviso web` sou òdinatè kote nœud ou ap mache a, epi louvri lyen li montre a.
signin-used = Yo deja sèvi ak lyen sa a oswa li ekspire. Lanse `aviso web` ankò pou yon lòt.
unlock-title = Debloke kle ou
unlock-intro = Pou voye yon rapò oswa yon alèt, fòk ou siyen. Kle ou rete nan nœud ou; sa a debloke l pou { $minutes } minit san aktivite.
unlock-passphrase = Fraz sekrè
unlock-submit = Debloke
unlock-wrong = Fraz sekrè a pa bon. Eseye ankò.
unlock-wait = Twòp esè. Tann { $seconds } segonn.
unlock-state-locked = Kle ou bloke.
unlock-state-unlocked = Kle ou debloke.
lock-now = Bloke kounye a

## Erè nan fòmilè

error-title = Tanpri tcheke fòmilè a
error-required = Fòk ou ranpli { $field }.
error-too-long = { $field } twò long: { $length } karaktè, { $limit } pi plis.
error-area = { $field }: "{ $value }" se pa yon kòd zòn. Sèvi ak lèt ak chif, tankou 9q8yy.
error-category = Chwazi sa w te wè.
error-generic = Sa pa mache: { $why }
error-not-found = Paj la pa egziste.
error-forbidden = Yo refize demann sa a. Louvri Aviso nan pwòp adrès li.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = Aktive sou aparèy sa a
push-state-on = Aparèy sa a resevwa notifikasyon menm lè aplikasyon an fèmen.
push-state-off = Dezaktive sou aparèy sa a.
push-denied = Notifikasyon yo bloke pou sit sa a nan paramèt navigatè a.
push-failed = Sa pa mache. Eseye ankò pita.
push-title = { $severity }: { $category }
status-reach-direct = Lòt nœud ka jwenn nœud sa a dirèkteman.
status-reach-direct-relay = Lòt nœud ka jwenn nœud sa a dirèkteman, epi li sèvi kòm relè pou kominote a.
status-reach-relayed = Dèyè yon routè: lòt nœud jwenn nœud sa a atravè yon relè kominote a.
status-reach-unknown = Poko ka jwenn li: okenn lòt nœud poko konfime yon adrès nœud sa a.
label-list-owner = mèt lis la

## Telefòn sou rezo lakay: konekte ak aparèy ki konekte. (Nouvo: bezwen yon moun ki pale lang nan revize l.)
pair-title = Konekte telefòn sa a
pair-intro = Sa a konekte telefòn oswa tablèt sa a ak nœud ou a sou rezo lakay ou. Sèvi ak lyen oswa kòd `aviso web pair` montre sou òdinatè kote nœud ou ap mache a.
pair-code = Kòd pou konekte
pair-code-hint = Li ranpli apati kòd QR la. Li mache yon sèl fwa, pandan 10 minit.
pair-name = Non aparèy sa a
pair-name-hint = Pou ou ka rekonèt li nan lis aparèy ki konekte yo.
pair-submit = Konekte
pair-trust-title = Fè nœud sa a konfyans (si ou vle)
pair-trust-intro = Enstale sètifika nœud ou a pou telefòn sa a ka enstale aplikasyon an epi louvri l san rezo. Anvan ou enstale l, verifye anprent SHA-256 li se egzakteman sa a, menm jan `aviso web pair` montre l:
pair-trust-download = Telechaje sètifika nœud la
pair-trust-optional = San li, paj yo toujou mache nan navigatè a, apre avètisman li sou sètifika a. docs/phones.md gen etap yo pou Android ak iPhone.
pair-refused = Kòd sa a pa bon, yo deja sèvi ak li oswa li ekspire. Lanse `aviso web pair` ankò pou yon lòt.
pair-too-many = Twòp kòd ki pa bon. Lanse `aviso web pair` ankò pou yon lòt.
pair-full = Twòp aparèy konekte deja. Retire youn nan Paramèt, sou òdinatè kote nœud ou ap mache a.
devices-title = Aparèy ki konekte
devices-hint = Telefòn ak tablèt ki louvri Aviso sou rezo lakay ou. Lè ou retire youn, li dekonekte touswit.
devices-none = Pa gen okenn aparèy ki konekte ankò.
devices-revoke = Retire
devices-when = konekte { $paired }, dènye fwa { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = Efase an ijans
settings-panic-hint = Si yo pran aparèy sa a, oswa si sa pral rive, efase tout sa Aviso kenbe ladan l : mesaj, kle, paramèt.
settings-panic-open = Efase aparèy sa a…
panic-title = Efase tout bagay sou aparèy sa a?
panic-explain = Sa detwi kle siyati ou ak tout sa nœud sa a te kenbe, touswit e pou toutan. Pèsonn p ap ka li l apre, menm ou menm. Pou sèvi ak Aviso ankò, w ap bezwen yon envitasyon.
panic-confirm = Efase tout kounye a
panic-cancel = Anile, retounen nan paramèt yo
pairing-button = Konekte yon telefòn
pairing-title = Konekte yon telefòn
pairing-step-wifi = Konekte telefòn nan sou menm Wi-Fi ak òdinatè sa a.
pairing-step-scan = Eskane kòd sa a ak kamera telefòn nan, oswa louvri adrès la sou telefòn nan epi tape kòd la.
pairing-address = Adrès
pairing-code = Kòd
pairing-step-trust = Apre sa telefòn nan ofri sètifika nœud ou a, pou li ka enstale aplikasyon an. Anprent li dwe egzakteman:
pairing-expires = { $minutes ->
    [one] Kòd la mache yon sèl fwa, pandan { $minutes } minit.
   *[other] Kòd la mache yon sèl fwa, pandan { $minutes } minit.
}
pairing-again = Fè yon nouvo kòd
pairing-back = Retounen nan paramèt yo
pairing-qr-label = Kòd QR adrès pou konekte a
pairing-off = Telefòn sou rezo lakay ou yo fèmen. Pou louvri yo, kouri `aviso web pair --enable` sou òdinatè sa a epi rekòmanse nœud la (oswa lanse li ak `aviso node --lan`).
