# مكتب المنظّمين: قائمة الثقة وإعلانات الموارد والدعوات.

lists-nav = قوائم المنظّمين
lists-trust-title = قائمة الثقة
lists-resources-title = إعلانات الموارد
lists-invites-title = الدعوات
lists-no-community = لم تنضم هذه العقدة إلى أي مجتمع بعد.
lists-sign-what = ما ستوقّع عليه

## قائمة الثقة

lists-trust-intro = بمن يثق مجتمعك: المنظّمون يوقّعون التنبيهات وإعلانات الموارد، والأعضاء يرسلون البلاغات. تبقى التغييرات مسودة حتى تنشرها.
lists-trust-never-published = لم تُنشر قط
lists-trust-published-version = نُشر الإصدار { $version }
lists-trust-draft-pending = مسودة الإصدار { $version } فيها تغييرات لم تُنشر بعد ({ $published })
lists-trust-none-published = لم تُنشر أي قائمة بعد
lists-trust-read-only = لا يغيّر هذه القائمة إلا صاحبها. أنت ترى الإصدار المنشور.
lists-trust-saved = حُفظت المسودة. انشرها حين تكون جاهزًا.
lists-trust-saved-revoked = أُلغي المفتاح في المسودة. انشرها قريبًا: يسري ذلك حين تتلقى العقد القائمة.
lists-trust-published = نُشر الإصدار { $version }. تتبعه العقد فور تلقيه.
lists-trust-entries = الأشخاص في القائمة
lists-trust-no-entries = لا أحد في القائمة بعد.
lists-trust-revoked = المفاتيح الملغاة
lists-trust-thresholds = التوقيعات المطلوبة
lists-trust-no-thresholds = يكفي توقيع منظّم واحد في كل الفئات.
lists-trust-delegates = قوائم تثق بها
lists-trust-back = العودة إلى قائمة الثقة
lists-threshold-row = { $category }: { $k } توقيعات
lists-threshold-category = الفئة
lists-threshold-k = التوقيعات المطلوبة (من 1 إلى 8)
lists-threshold-set = حدّد
lists-change = غيّر
lists-remove = أزل
lists-revoke = ألغِ
lists-revoke-hint = لمفتاح ضائع أو مسروق أو أسيء استخدامه. ما وقّعه لا يعود موثوقًا، ولا يمكن إعادته إلى القائمة.
lists-revoke-reason = السبب
lists-revoke-since = التوقف عن الثقة في
lists-revoke-since-now = ما يوقّعه من الآن فقط
lists-revoke-since-date = ما وقّعه ابتداءً من تاريخ
lists-revoke-date = التاريخ
lists-since-everything = لا شيء مما وقّعه يُوثق به بعد الآن
lists-since-date = ما وقّعه منذ { $date } غير موثوق
lists-role-organizer = منظّم (يوقّع التنبيهات وإعلانات الموارد)
lists-role-member = عضو (يرسل البلاغات)
lists-scope = { $role }؛ { $areas }؛ { $categories }؛ { $until }
lists-scope-everywhere = في كل مكان
lists-scope-all-categories = كل الفئات وإعلانات الموارد
lists-scope-until = حتى { $date }
lists-scope-with-list = ما دامت القائمة
lists-delegate-scope = { $areas }؛ { $categories }
lists-add-title = أضف شخصًا
lists-add-change-title = غيّر إدخالًا
lists-add-key = مفتاحه العام
lists-add-key-hint = 64 حرفًا يعرضها «aviso id» على جهازه. تحقّق من البصمة معه وجهًا لوجه.
lists-add-label = الاسم في القائمة
lists-add-role = ما يمكنه فعله
lists-add-areas = المناطق
lists-add-areas-hint = رموز مناطق تفصل بينها فواصل، مثل 9q8yy. اتركه فارغًا لكل مكان.
lists-add-categories = الفئات
lists-add-categories-hint = إن لم تختر شيئًا: كل الفئات وإعلانات الموارد.
lists-add-expires = حتى
lists-add-expires-hint = تاريخ (2027-06-30) أو مدة (90d). فارغ: ما دامت القائمة.
lists-add-submit = أضف إلى المسودة
lists-add-change-submit = احفظ التغيير
lists-error-key = هذا ليس مفتاحًا عامًا: الصق الأحرف الـ64 التي يعرضها «aviso id».
lists-error-revoked = { $fingerprint } ملغى: لا يمكن أن يعود المفتاح الملغى موثوقًا. يحتاج صاحبه إلى مفتاح جديد.
lists-error-not-listed = { $fingerprint } ليس في القائمة.
lists-error-own-key = لا يمكنك إلغاء مفتاحك أو التفويض إليه في قائمتك.
lists-error-expires = أعطِ تاريخًا مثل 2027-06-30، أو مدة مثل 90d.
lists-error-expires-past = هذا التاريخ مضى. أعطِ تاريخًا لاحقًا.
lists-error-since-future = هذا التاريخ في المستقبل: ما يوقّعه المفتاح حتى ذلك الحين سيبقى موثوقًا. اختر تاريخًا مضى أو «من الآن».
lists-error-date = أعطِ التاريخ الذي يتوقف منه الوثوق بالمفتاح.
lists-error-threshold = أعطِ رقمًا من 1 إلى { $max }.

## نشر قائمة الثقة

lists-publish-title = نشر قائمة الثقة
lists-publish-review = راجع وانشر
lists-publish-changes = ما يتغيّر عن الإصدار المنشور
lists-publish-nothing = المسودة مطابقة للإصدار المنشور: لا شيء لنشره.
lists-publish-stale = تغيّرت المسودة منذ أن اطّلعت عليها. راجع التغييرات مرة أخرى.
lists-publish-signs = يوقّع مفتاحك { $fingerprint } القائمة «{ $name }»، الإصدار { $version }، صالحة حتى { $until }. تتبعها كل عقدة في المجتمع فور تلقيها.
lists-publish-confirm = وقّع وانشر
lists-publish-unlock = افتح مفتاحك لتوقّع
lists-diff-renamed = تغيّر اسم القائمة من «{ $from }» إلى «{ $to }»
lists-diff-added = أضف { $label } ({ $fingerprint }): { $scope }
lists-diff-removed = أزل { $label } ({ $fingerprint }) من القائمة
lists-diff-changed = غيّر { $label } ({ $fingerprint }): كان { $old }. الآن { $new }
lists-diff-changed-renamed = غيّر { $was }، الآن { $label } ({ $fingerprint }): كان { $old }. الآن { $new }
lists-diff-revoked = ألغِ { $fingerprint }: { $since }. السبب: { $reason }
lists-diff-unrevoked = ارفع الإلغاء عن { $fingerprint }
lists-diff-threshold = { $category }: التوقيعات المطلوبة { $from } ← { $to }
lists-diff-delegate-added = ثق بقائمة { $label } ({ $fingerprint }): { $scope }
lists-diff-delegate-removed = توقّف عن الثقة بقائمة { $label } ({ $fingerprint })
lists-diff-delegate-changed = غيّر تفويض { $label } ({ $fingerprint }): الآن { $scope }

## إعلانات الموارد

lists-resources-intro = مساعدة قانونية، خطوط مساعدة، مأوى، طعام، فعاليات: ما يجده الأعضاء تحت «مساعدة». الإصدار الجديد يحل محل القديم.
lists-resources-yours = إعلاناتك
lists-resources-none = لم تنشر أي إعلان بعد.
lists-resource-new = إعلان جديد
lists-resource-update-title = حدّث إعلانًا
lists-resource-update = حدّث
lists-resource-withdraw = اسحب
lists-resource-kind = النوع
lists-resource-text-1 = الاسم والنص
lists-resource-text-2 = بلغة ثانية
lists-resource-name = الاسم
lists-resource-description = ما يقدّمه ولمن
lists-resource-hours = ساعات العمل
lists-resource-areas = المنطقة المخدومة
lists-resource-phone = الهاتف
lists-resource-url = عنوان الموقع
lists-resource-address = العنوان
lists-resource-address-hint = عنوان عام فقط. لا تكتب أبدًا عنوان بيت آمن.
lists-resource-flags = من المفيد معرفته
lists-resource-free = مجاني
lists-resource-no-id = لا تُطلب هوية
lists-resource-confidential = سري
lists-resource-walk-in = دون موعد
lists-resource-expires = يُعرض لمدة
lists-resource-expires-days = { $days ->
    [zero] { $days } يوم
    [one] يوم واحد
    [two] يومان
    [few] { $days } أيام
   *[other] { $days } يومًا
}
lists-resource-signs = يوقّع مفتاحك { $fingerprint } هذا الإعلان؛ تعرضه كل عقدة في المجتمع على الأعضاء حتى تنتهي صلاحيته أو تسحبه.
lists-resource-submit = وقّع وانشر
lists-resource-update-submit = وقّع وانشر الإصدار الجديد
lists-resource-sent = نُشر الإعلان.
lists-resource-withdrawn = سُحب الإعلان. لم يعد الأعضاء يرونه.
lists-resource-error-kind = اختر نوعًا.

## الدعوات

lists-invite-intro = من يمسح هذه الدعوة أو يلصقها في Aviso ينضم إلى { $community }.
lists-invite-qr-label = دعوة إلى { $community } على شكل رمز QR
lists-invite-scan = امسحه بكاميرا الهاتف في Aviso.
lists-invite-text = الدعوة نفسها نصًّا
lists-invite-text-hint = انسخها في رسالة إلى شخص تثق به. لا تحمل أي سر، لكنها تكشف من هم منظّموك.
lists-invite-too-long = هذه الدعوة أطول من أن تصبح رمز QR: أعطِ النص بدلًا منه.
lists-invite-gives = ما تمنحه
lists-invite-gives-join = تُدخل إلى المجتمع { $community }.
lists-invite-gives-roots = { $count ->
    [one] تتبع قائمة الثقة لمفتاح المنظّم فيه:
    [two] تتبع قائمتي الثقة لمفتاحَي المنظّمين فيه:
   *[other] تتبع قوائم الثقة لمفاتيح المنظّمين فيه ({ $count }):
}
lists-invite-gives-addresses = { $count ->
    [zero] لا تحمل أي عنوان عقدة: لا تجد الهواتف عقدتك إلا على الشبكة نفسها.
    [one] تحمل عنوان عقدة واحدًا للاتصال به أولًا.
    [two] تحمل عنوانَي عقدتين للاتصال بهما أولًا.
   *[other] تحمل { $count } من عناوين العقد للاتصال بها أولًا.
}
lists-invite-gives-not = لا تجعل أحدًا عضوًا أو منظّمًا: لذلك أضف مفتاحه إلى قائمة الثقة.
lists-invite-valid = مدة صلاحيتها
lists-invite-valid-text = لا تنتهي صلاحيتها: تبقى صالحة ما دامت مفاتيح المنظّمين في المجتمع هي نفسها. إن توقفت العناوين فيها عن العمل، تحل محلها دعوة جديدة من «aviso community invite --update».
