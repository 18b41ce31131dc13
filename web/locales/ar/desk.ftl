# Aviso، مكتب المنظّمين (issue 13): العربية.

nav-desk = المكتب
desk-title = مكتب المنظّمين
desk-back = رجوع
desk-sections = الأقسام

## المفتاح وقفله

desk-lock-unlocked = مفتاح التوقيع الخاص بك مفتوح. يُقفل نفسه بعد { $minutes } دقيقة من عدم الاستخدام.
desk-lock-locked = مفتاح التوقيع الخاص بك مقفل. افتحه لتوقّع؛ لا يغادر المفتاح عقدتك أبدًا.
desk-lock-now = أقفل الآن
desk-unlock = افتح المفتاح
desk-locked-sign = مفتاح التوقيع الخاص بك مقفل: افتحه ثم أرسل مرة أخرى. لم يُوقَّع أي شيء.
desk-key-title = مفتاحك
desk-key-fingerprint = البصمة
desk-key-label = الاسم في قائمة الثقة
desk-key-role = الدور
desk-key-none = لا يوجد مفتاح توقيع في هذه العقدة.
desk-role-none = لست منظّمًا في القوائم التي تتبعها هذه العقدة: لن تُحتسب توقيعاتك على التنبيهات.
desk-role-organizer = منظّم لـ { $categories } في { $areas }
desk-scope-everywhere = كل المناطق
desk-scope-every-category = كل الفئات
desk-count-reports = بلاغات مفتوحة: { $count }
desk-count-waiting = تنبيهات تنتظر التوقيع: { $count }
desk-counts = توقيعك يُحتسب: منظّم لـ { $category } في { $areas }.
desk-counts-more = تحتاج هذه الفئة إلى توقيعات مشتركة: يرى الأعضاء التنبيه عندما يوقّعه منظّمون آخرون عددهم { $more }.
desk-counts-not = لن يُحتسب توقيعك: { $why }
desk-expired = انتهت صلاحية هذا التنبيه: لا يوجد ما يُوقَّع.

## البلاغات

desk-reports-title = بلاغات للتحقق
desk-reports-intro = بلاغات الأعضاء غير المؤكدة، الأحدث أولًا. تُجمع البلاغات من النوع نفسه في المنطقة نفسها التي يفصل بينها أقل من 30 دقيقة.
desk-reports-none = لا توجد بلاغات مفتوحة.
desk-reports-members = عدد الأعضاء الذين أبلغوا: { $count }
desk-confirm = أكّده كتنبيه
desk-dismiss = ارفض
desk-dismiss-reason = سبب الرفض
desk-dismiss-false = بلاغ كاذب
desk-dismiss-duplicate = مكرر
desk-dismiss-mistaken = خطأ
desk-dismiss-reason-missing = اختر سبب رفض هذه البلاغات.
desk-dismissed = عدد البلاغات المرفوضة: { $count }.

## التوقيعات المشتركة

desk-cosign-title = تنبيهات للتوقيع المشترك
desk-cosign-intro = تحتاج هذه التنبيهات إلى توقيع أكثر من منظّم. لا يراها الأعضاء حتى يوقّعها عدد كافٍ من المنظّمين. اقرأ التنبيه كاملًا قبل أن توقّع.
desk-cosign-none = لا توجد تنبيهات تنتظر التوقيع.
desk-cosign-signed = وقّعه: { $names }
desk-cosign-missing = التوقيعات الناقصة: { $count }
desk-cosign-yours = لقد وقّعت هذا التنبيه: يجب أن يوقّعه منظّم آخر معك.
desk-cosign-endorse = وقّع هذا التنبيه توقيعًا مشتركًا
desk-cosign-done = أُرسل توقيعك المشترك.

## الكتابة

desk-compose-title = تنبيه جديد
desk-update-title = حدّث التنبيه
desk-templates = ابدأ من قالب
desk-category = الفئة
desk-severity = الخطورة
desk-status = النوع
desk-status-actual = حقيقي
desk-status-exercise = تمرين
desk-areas = رموز المناطق
desk-areas-hint = رموز مناطق تفصل بينها فواصل. الأماكن المسمّاة:
desk-place = المكان كما يقرؤه الأعضاء (اختياري)
desk-place-hint = كلمات عامة فقط، مثل تقاطع شارع. لا تكتب أبدًا عنوان منزل.
desk-expires = يُعرض لمدة
desk-expires-30m = 30 دقيقة
desk-expires-2h = ساعتان
desk-expires-6h = 6 ساعات
desk-expires-24h = 24 ساعة
desk-languages = اللغات
desk-languages-hint = رموز لغات تفصل بينها فواصل، مثل en, es, ht. اترك العنوان فارغًا لإسقاط لغته.
desk-languages-apply = غيّر اللغات
desk-headline = العنوان
desk-description = ما الذي يحدث
desk-instruction = ماذا تفعل
desk-instruction-standard = التعليمات المعتادة:
desk-instruction-raid = لا تفتح الباب. اطلب رؤية مذكرة موقّعة من قاضٍ عبر النافذة. لك الحق في التزام الصمت.
desk-instruction-checkpoint = تجنّب المنطقة إن استطعت. إذا أُوقفت، لك الحق في التزام الصمت. لا توقّع على أي شيء.
desk-instruction-detention = اتصل بخط الاستجابة السريعة. دوّن الوقت والمكان والجهة. لا تشارك الأسماء علنًا.
desk-instruction-patrol = حافظ على هدوئك وتجنّب المنطقة. لا تركض. شارك هذا التنبيه مع جيرانك.
desk-instruction-other = ابقَ يقظًا واتبع تعليمات المنظّمين.
desk-preview = معاينة
desk-preview-title = ما سيراه الأعضاء
desk-sign-title = ما ستوقّعه
desk-sign-what = الرسالة
desk-sign-alert = تنبيه جديد
desk-sign-update = تحديث للتنبيه { $id }
desk-sign-key = موقّع بمفتاحك
desk-sign-confirms = يؤكّد
desk-sign-confirms-count = بلاغات الأعضاء: { $count }
desk-sign-send = وقّع وأرسل
desk-sign-changed = تغيّر النموذج منذ المعاينة: راجع المعاينة الجديدة ثم وقّع مرة أخرى.
desk-template-name = احفظ هذا النموذج كقالب باسم
desk-template-save = احفظ القالب
desk-template-saved = حُفظ القالب «{ $name }» مشفّرًا في عقدتك.
desk-template-delete = احذف
desk-template-delete-label = احذف القالب «{ $name }»
desk-template-deleted = حُذف القالب «{ $name }».
desk-template-missing = لا يوجد قالب باسم «{ $name }».
desk-error-severity = اختر درجة الخطورة.
desk-error-expires = اختر مدة عرض التنبيه.
desk-error-headline = في قسم { $language } نص بلا عنوان: أضف عنوانًا.
desk-error-text = اكتب عنوانًا بلغة واحدة على الأقل.
desk-sent = وُقّع التنبيه وأُرسل.

## تنبيه واحد

desk-alerts-title = التنبيهات
desk-alerts-shown = يراها الأعضاء
desk-alerts-waiting = تنتظر توقيعات مشتركة
desk-alerts-ended = انتهت أو غير معروضة
desk-alerts-none = لا شيء.
desk-alert-title = تنبيه
desk-alert-shown = يراه الأعضاء.
desk-update = حدّث
desk-cancel = ألغِ
desk-all-clear = زال الخطر
desk-end-reason = ملاحظة قصيرة للأعضاء (اختيارية)
desk-end-cancel-title = إلغاء هذا التنبيه؟
desk-end-cancel-what = ستوقّع إلغاءً: سيرى الأعضاء أن التنبيه سُحب، بكل لغاته.
desk-end-cancel-sign = وقّع الإلغاء
desk-end-all_clear-title = إعلان زوال الخطر؟
desk-end-all_clear-what = ستوقّع إعلان زوال الخطر: سيرى الأعضاء أن الخطر انتهى.
desk-end-all_clear-sign = وقّع إعلان زوال الخطر
desk-ended-cancel = وُقّع الإلغاء وأُرسل.
desk-ended-all_clear = وُقّع إعلان زوال الخطر وأُرسل.
desk-counts-more-end = تحتاج هذه الفئة إلى توقيعات مشتركة: يسري ذلك عندما يوقّعه معك في مكاتبهم منظّمون آخرون عددهم { $more }.
desk-cosign-kind-cancel = إلغاء لهذا التنبيه:
desk-cosign-kind-all_clear = إعلان زوال الخطر لهذا التنبيه:
desk-cosign-kind-update = تحديث: النسخة الجديدة من التنبيه.
desk-alert-not-shown = لا يراه الأعضاء: { $why }
