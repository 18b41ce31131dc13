# تطبيق Aviso على الويب: العربية. يحتاج إلى مراجعة متحدث أصلي.

## إطار كل صفحة

app-name = Aviso
skip-to-content = انتقل إلى المحتوى
nav-label = القائمة الرئيسية
nav-alerts = التنبيهات
nav-report = إبلاغ
nav-help = مساعدة
nav-settings = الإعدادات
nav-status = الحالة
language-label = اللغة
language-choose = تغيير
footer-node = تقدّم هذه الصفحات عقدة Aviso الخاصة بك. لا يأتي أي شيء فيها من مكان آخر.

## التنبيهات

alerts-title = التنبيهات
alerts-intro = تنبيهات تحقق منها المنظمون الذين تتابعهم، الأكثر إلحاحًا أولًا.
alerts-none = لا توجد تنبيهات مؤكدة الآن.
alerts-none-areas = لا توجد تنبيهات مؤكدة في مناطقك الآن.
alerts-live = تظهر التحديثات هنا تلقائيًا.
alerts-offline = لا اتصال بعقدتك: جارٍ إعادة الاتصال…
alert-new = تنبيه جديد
alert-what-to-do = ماذا تفعل
alert-what-happens = ماذا يحدث
alert-where = أين
alert-when = منذ
alert-until = حتى { $time }
alert-updated = محدَّث
alert-expires = ينتهي
alert-verified = { $count ->
    [zero] لم يتحقق منه أي منظم من { $community }
    [one] تحقق منه منظم واحد من { $community }
    [two] تحقق منه منظمان من { $community }
    [few] تحقق منه { $count } منظمين من { $community }
   *[other] تحقق منه { $count } منظمًا من { $community }
}
alert-verified-by = وقّعه { $names }
alert-drill = هذا تمرين، وليس تنبيهًا حقيقيًا.
alert-test = هذا اختبار تقني، وليس تنبيهًا حقيقيًا.
alert-other-languages = اقرأ بـ:
alert-show-more = مزيد من التفاصيل
alert-signatures-waiting = { $have } من { $need } توقيعات

severity-extreme = خطر شديد جدًا
severity-severe = خطير
severity-moderate = متوسط
severity-minor = بسيط
severity-unknown = الخطورة غير معروفة

urgency-immediate = تصرّف الآن
urgency-expected = تصرّف خلال ساعة
urgency-future = قريبًا
urgency-past = لا حاجة لأي إجراء
urgency-unknown = التوقيت غير معروف

category-raid = مداهمة
category-checkpoint = نقطة تفتيش
category-detention = احتجاز
category-patrol = عناصر في دورية
category-other = أخرى
category-geo = زلزال أو انهيار أرضي
category-met = الطقس
category-safety = السلامة العامة
category-security = الأمن
category-rescue = إنقاذ
category-fire = حريق
category-health = الصحة
category-env = البيئة
category-transport = النقل
category-infra = الكهرباء أو الماء أو الهاتف
category-cbrne = مواد خطرة
category-resources = موارد

ended-title = سُحبت مؤخرًا
ended-cancelled = أُلغي: كان خاطئًا أو لم يعد ساريًا.
ended-all-clear = زال الخطر.
ended-retracted = سحبه المنظمون.
ended-revoked = سُحب: المفتاح الذي وقّعه لم يعد موثوقًا.
ended-expired = انتهت مدته.
ended-superseded = حلّت محله نسخة أحدث.

## الوقت بالنسبة إلى الآن

time-just-now = الآن
time-minutes-ago = { $n ->
    [one] منذ دقيقة
    [two] منذ دقيقتين
    [few] منذ { $n } دقائق
   *[other] منذ { $n } دقيقة
}
time-hours-ago = { $n ->
    [one] منذ ساعة
    [two] منذ ساعتين
    [few] منذ { $n } ساعات
   *[other] منذ { $n } ساعة
}
time-days-ago = { $n ->
    [one] منذ يوم
    [two] منذ يومين
    [few] منذ { $n } أيام
   *[other] منذ { $n } يومًا
}

## البلاغات (غير المؤكدة)

reports-title = بلاغات غير مؤكدة
reports-intro = أرسلها أعضاء. لم يؤكدها أحد بعد: لا تتصرف بناءً عليها وحدها، ولا تنشرها على أنها حقائق.
reports-none = لا توجد بلاغات غير مؤكدة.
report-state-unverified = غير مؤكد
report-state-confirmed = أكّده تنبيه
report-state-dismissed = رفضه أحد المنظمين
report-seen = شوهد { $ago }
report-more = عرض البلاغات الأقدم

## أبلغ عما تراه

report-title = أبلغ عما تراه
report-intro = يصل بلاغك إلى منظمي مجتمعك. يراه الآخرون على أنه غير مؤكد حتى يؤكده أحد المنظمين.
report-category = ماذا رأيت؟
report-area = أين؟
report-area-named = اختر مكانًا
report-area-none = لا توجد أماكن مسماة بعد: استخدم موقعك أو اكتب رمز المنطقة.
report-area-code = أو رمز المنطقة
report-area-code-hint = رمز قصير للمنطقة، مثل 9q8yy. اسأل المنظمين.
report-use-location = استخدم موقعي
report-location-privacy = لا يغادر موقعك الدقيق هذا الهاتف أبدًا: تُرسل فقط منطقة بحجم حي.
report-location-failed = موقعك غير متاح. اختر مكانًا بدلًا من ذلك.
report-when = متى؟
report-when-now = الآن
report-when-15 = منذ نحو 15 دقيقة
report-when-60 = منذ نحو ساعة
report-text = صف ما تراه
report-text-hint = كم عدد العناصر أو المركبات، وماذا يفعلون. لا تذكر أسماء الجيران أو وجوههم أو لوحات سياراتهم.
report-send = أرسل البلاغ
report-sent-title = أُرسل البلاغ
report-sent = شكرًا. سيتحقق منه المنظمون. حتى يؤكده أحدهم، يظهر على أنه غير مؤكد.
report-sent-queued = حُفظ. عقدتك غير متصلة الآن: سترسل البلاغ بمجرد أن تستطيع.
report-another = أرسل بلاغًا آخر

## مساعدة قريبة منك

help-title = مساعدة قريبة منك
help-intro = مساعدة قانونية وخطوط مساعدة ومآوٍ وغير ذلك، ينشرها المنظمون الذين تتابعهم.
help-none = لا نتائج مطابقة. جرّب عوامل تصفية أقل.
help-filters = تصفية
help-kind = نوع المساعدة
help-kind-all = كل الأنواع
help-language = اللغة المستخدمة
help-language-any = أي لغة
help-free = مجاني
help-no-id = لا يُطلب إثبات هوية
help-confidential = سري
help-walk-in = دون موعد
help-open-now = مفتوح الآن
help-apply = تطبيق
help-call = اتصل بـ { $phone }
help-website = الموقع الإلكتروني
help-address = العنوان
help-hours = ساعات العمل
help-languages = اللغات
help-event-when = من { $start } إلى { $end }

kind-legal_aid = مساعدة قانونية
kind-helpline = خط مساعدة
kind-shelter = مأوى
kind-food = طعام
kind-medical = رعاية طبية
kind-transport = نقل
kind-workshop = ورشة
kind-event = فعالية
kind-other = أخرى

## الإعدادات

settings-title = الإعدادات
settings-languages = اللغات
settings-languages-hint = تظهر التنبيهات بأول لغة من هذه اللغات تتوفر فيها.
settings-areas = المناطق التي تهمك
settings-areas-hint = تظهر فقط تنبيهات هذه المناطق. اتركه فارغًا لكل مكان.
settings-places = الأماكن التي تتابعها
settings-places-hint = سمّاها المنظمون. تُضاف الأماكن المختارة إلى المناطق أعلاه.
settings-follow = القوائم التي تتابعها
settings-follow-hint = لا يُعدّ التنبيه مؤكدًا إلا إذا وقّعه منظمون من هذه القوائم.
settings-notifications = الإشعارات
settings-notify-severe = أشعرني بالتنبيهات الخطيرة في مناطقي
settings-sound = تشغيل صوت
settings-push = أشعرني والتطبيق مغلق (Web Push)
settings-push-privacy = عند تفعيل هذا، تعرف خدمة الإشعارات لدى الشركة المصنّعة لهذا الجهاز (Google أو Apple أو Mozilla) متى يتلقى هذا الجهاز إشعارًا ومن أي عقدة، لكنها لا تعرف محتواه: فهو مشفّر لهذا الجهاز وحده. تحتفظ عقدتك بعنوان الإشعارات لهذا الجهاز حتى توقف هذا الخيار.
settings-save = حفظ
settings-saved = حُفظ.

## الحالة

status-title = الحالة
status-connected = { $peers ->
    [0] غير متصل بأحد بعد.
    [one] متصل بعقدة واحدة.
    [two] متصل بعقدتين.
    [few] متصل بـ { $peers } عقد.
   *[other] متصل بـ { $peers } عقدة.
}
status-catch-up = آخر مزامنة: { $ago }
status-catch-up-never = لم تتم المزامنة بعد.
status-reach = كيف يصل الآخرون إلى هذه العقدة
status-community = المجتمع

## الدخول والمفتاح

signin-title = تسجيل الدخول
signin-intro = لفتح Aviso في هذا المتصفح، شغّل `aviso web` على الحاسوب الذي تعمل عليه عقدتك، وافتح الرابط الذي يعرضه.
signin-used = استُخدم هذا الرابط من قبل أو انتهت صلاحيته. شغّل `aviso web` مرة أخرى للحصول على رابط جديد.
unlock-title = افتح مفتاحك
unlock-intro = إرسال بلاغ أو تنبيه يحتاج إلى توقيعك. يبقى مفتاحك في عقدتك؛ هذا يفتحه لمدة { $minutes } دقيقة من عدم النشاط.
unlock-passphrase = عبارة المرور
unlock-submit = فتح
unlock-wrong = عبارة المرور خاطئة. حاول مرة أخرى.
unlock-wait = محاولات كثيرة جدًا. انتظر { $seconds } ثانية.
unlock-state-locked = مفتاحك مقفل.
unlock-state-unlocked = مفتاحك مفتوح.
lock-now = أقفل الآن

## أخطاء النموذج

error-title = يرجى مراجعة النموذج
error-required = الحقل { $field } مطلوب.
error-too-long = { $field } طويل جدًا: { $length } حرفًا، والحد الأقصى { $limit }.
error-area = { $field }: «{ $value }» ليس رمز منطقة. استخدم حروفًا وأرقامًا مثل 9q8yy.
error-category = اختر ما رأيته.
error-generic = لم ينجح ذلك: { $why }
error-not-found = الصفحة غير موجودة.
error-forbidden = رُفض هذا الطلب. افتح Aviso من عنوانه الخاص.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = تفعيل على هذا الجهاز
push-state-on = يتلقى هذا الجهاز الإشعارات والتطبيق مغلق.
push-state-off = غير مفعّل على هذا الجهاز.
push-denied = الإشعارات محظورة لهذا الموقع في إعدادات المتصفح.
push-failed = لم ينجح ذلك. حاول لاحقًا.
push-title = { $severity }: { $category }
status-reach-direct = تستطيع العقد الأخرى الوصول إلى هذه العقدة مباشرة.
status-reach-direct-relay = تستطيع العقد الأخرى الوصول إلى هذه العقدة مباشرة، وهي تعمل مرحّلًا للمجتمع.
status-reach-relayed = خلف جهاز توجيه: تصل العقد الأخرى إلى هذه العقدة عبر مرحّل من المجتمع.
status-reach-unknown = لا يمكن الوصول إليها بعد: لم تؤكد أي عقدة أخرى عنوانًا لهذه العقدة.
label-list-owner = مالك القائمة

## الهواتف على شبكة المنزل: الاقتران والأجهزة المقترنة. (جديد: يحتاج إلى مراجعة من ناطق أصلي.)
pair-title = اقرن هذا الهاتف
pair-intro = يربط هذا الهاتفَ أو الجهاز اللوحي بعقدتك عبر شبكة منزلك. استخدم الرابط أو الرمز الذي يعرضه `aviso web pair` على الحاسوب الذي تعمل عليه عقدتك.
pair-code = رمز الاقتران
pair-code-hint = يُملأ من رمز QR. يعمل مرة واحدة فقط، لمدة 10 دقائق.
pair-name = اسم هذا الجهاز
pair-name-hint = لتتعرّف عليه في قائمة الأجهزة المقترنة.
pair-submit = اقرن
pair-trust-title = ثق بهذه العقدة (اختياري)
pair-trust-intro = ثبّت شهادة عقدتك لكي يتمكن هذا الهاتف من تثبيت التطبيق وفتحه دون شبكة. قبل تثبيتها، تحقّق من أن بصمتها SHA-256 هي هذه تمامًا، وهي نفسها التي يعرضها `aviso web pair`:
pair-trust-download = نزّل شهادة العقدة
pair-trust-optional = من دونها تعمل الصفحات في المتصفح أيضًا، بعد تحذيره بشأن الشهادة. في docs/phones.md خطوات أندرويد وآيفون.
pair-refused = هذا الرمز خاطئ أو استُخدم من قبل أو انتهت صلاحيته. شغّل `aviso web pair` مرة أخرى للحصول على رمز جديد.
pair-too-many = رموز خاطئة كثيرة جدًا. شغّل `aviso web pair` مرة أخرى للحصول على رمز جديد.
pair-full = الأجهزة المقترنة كثيرة جدًا. ألغِ أحدها من الإعدادات على الحاسوب الذي تعمل عليه عقدتك.
devices-title = الأجهزة المقترنة
devices-hint = الهواتف والأجهزة اللوحية التي تفتح Aviso عبر شبكة منزلك. إلغاء أحدها يُخرجه فورًا.
devices-none = لا يوجد جهاز مقترن بعد.
devices-revoke = ألغِ
devices-when = اقترن { $paired }، آخر استخدام { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = المسح الطارئ
settings-panic-hint = إذا أُخذ هذا الجهاز أو أوشك أن يؤخذ، امسح كل ما يحفظه Aviso عليه: الرسائل والمفاتيح والإعدادات.
settings-panic-open = مسح هذا الجهاز…
panic-title = مسح كل شيء على هذا الجهاز؟
panic-explain = يؤدي هذا إلى إتلاف مفتاح التوقيع الخاص بك وكل ما حفظته هذه العقدة، فورًا وإلى الأبد. لن يستطيع أحد قراءته بعد ذلك، ولا أنت. لاستخدام Aviso مرة أخرى ستحتاج إلى دعوة.
panic-confirm = امسح كل شيء الآن
panic-cancel = إلغاء والعودة إلى الإعدادات
pairing-button = اقتران هاتف
pairing-title = اقتران هاتف
pairing-step-wifi = وصّل الهاتف بشبكة Wi-Fi نفسها التي يتصل بها هذا الحاسوب.
pairing-step-scan = امسح هذا الرمز بكاميرا الهاتف، أو افتح العنوان على الهاتف واكتب الرمز.
pairing-address = العنوان
pairing-code = الرمز
pairing-step-trust = بعد ذلك يعرض الهاتف شهادة عقدتك، ليتمكن من تثبيت التطبيق. يجب أن تكون بصمتها هذه تمامًا:
pairing-expires = { $minutes ->
    [zero] يعمل الرمز مرة واحدة، لمدة { $minutes } دقيقة.
    [one] يعمل الرمز مرة واحدة، لمدة دقيقة واحدة.
    [two] يعمل الرمز مرة واحدة، لمدة دقيقتين.
    [few] يعمل الرمز مرة واحدة، لمدة { $minutes } دقائق.
   *[other] يعمل الرمز مرة واحدة، لمدة { $minutes } دقيقة.
}
pairing-again = إنشاء رمز جديد
pairing-back = العودة إلى الإعدادات
pairing-qr-label = رمز QR لعنوان الاقتران
pairing-off = الهواتف على شبكة منزلك متوقفة. لتشغيلها، شغّل `aviso web pair --enable` على هذا الحاسوب ثم أعد تشغيل العقدة (أو شغّلها بالأمر `aviso node --lan`).
