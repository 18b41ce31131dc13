# الرد على تنبيه ("سأحضر") وعرض المستجيبين في مكتب المنظمين.
respond-title = هل يمكنك الحضور؟
respond-count = { $count ->
    [zero] لا أحد في الطريق بعد.
    [one] شخص واحد في الطريق.
    [two] شخصان في الطريق.
    [few] { $count } أشخاص في الطريق.
    [many] { $count } شخصًا في الطريق.
   *[other] { $count } شخص في الطريق.
}
respond-privacy = يُوقَّع ردك بمفتاحك. كل عُقد المجتمع ترى أن مفتاحك رد على هذا التنبيه. يرى الأعضاء الآخرون عدد المستجيبين فقط؛ ويرى المنظمون الأدوار وأوقات الوصول.
respond-role = دورك
respond-role-legal-observer = مراقب قانوني
respond-role-driver = سائق
respond-role-interpreter = مترجم فوري
respond-role-accompaniment = مرافقة
respond-eta = متى يمكنك الوصول؟
respond-eta-none = لست متأكدًا
respond-eta-minutes = { $minutes ->
    [one] خلال دقيقة
    [two] خلال دقيقتين
    [few] خلال { $minutes } دقائق
   *[other] خلال { $minutes } دقيقة
}
respond-going = سأحضر
respond-cant = لا أستطيع الحضور
respond-withdraw = اسحب ردي
respond-locked = مفتاحك مقفل: افتحه لترد.
respond-unlock = افتح مفتاحك
respond-sent-going = شكرًا. أُرسل ردك: يرى المنظمون أنك في الطريق.
respond-sent-cant = شكرًا. أُرسل ردك.
respond-sent-withdrawn = سُحب ردك.
respond-failed = لم يُرسل ردك: { $why }
respond-bad-form = اختر دورًا ووقتًا من القائمة.
respond-not-live = انتهى هذا التنبيه أو انقضت مدته: لم يعد يقبل الردود.
desk-responses-title = المستجيبون
desk-responses-cant = { $count ->
    [zero] لم يقل أحد إنه لا يستطيع الحضور.
    [one] شخص واحد لا يستطيع الحضور.
    [two] شخصان لا يستطيعان الحضور.
    [few] { $count } أشخاص لا يستطيعون الحضور.
    [many] { $count } شخصًا لا يستطيعون الحضور.
   *[other] { $count } شخص لا يستطيعون الحضور.
}
desk-responses-role = الدور
desk-responses-count = في الطريق
desk-responses-arrivals = الوصول المتوقع
desk-responses-in = { $minutes ->
    [zero] الآن
    [one] خلال دقيقة
    [two] خلال دقيقتين
    [few] خلال { $minutes } دقائق
   *[other] خلال { $minutes } دقيقة
}
desk-responses-no-eta = بلا وقت محدد
