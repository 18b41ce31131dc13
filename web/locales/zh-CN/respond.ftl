# 回应警报（“我来支援”）以及工作台上的支援者视图。
respond-title = 您能来支援吗？
respond-count = { $count ->
    [0] 还没有人前来支援。
   *[other] 有 { $count } 人正在前来支援。
}
respond-privacy = 您的回答会用您的密钥签名。社区的每个节点都能看到您的密钥回应了这条警报。其他成员只能看到有多少人前来；组织者能看到角色和预计到达时间。
respond-role = 您的角色
respond-role-legal-observer = 法律观察员
respond-role-driver = 司机
respond-role-interpreter = 口译员
respond-role-accompaniment = 陪同
respond-eta = 您什么时候能到？
respond-eta-none = 不确定
respond-eta-minutes = { $minutes } 分钟内
respond-going = 我来支援
respond-cant = 我无法前来
respond-withdraw = 撤回我的回答
respond-locked = 您的密钥已锁定：请先解锁再回答。
respond-unlock = 解锁您的密钥
respond-sent-going = 谢谢。您的回答已发送：组织者能看到您正在路上。
respond-sent-cant = 谢谢。您的回答已发送。
respond-sent-withdrawn = 您的回答已撤回。
respond-failed = 您的回答未能发送：{ $why }
respond-bad-form = 请从列表中选择一个角色和时间。
respond-not-live = 这条警报已结束或已过期：不再接受回答。
desk-responses-title = 支援者
desk-responses-cant = { $count ->
    [0] 没有人表示无法前来。
   *[other] 有 { $count } 人无法前来。
}
desk-responses-role = 角色
desk-responses-count = 正在前来
desk-responses-arrivals = 预计到达
desk-responses-in = { $minutes ->
    [0] 现在
   *[other] { $minutes } 分钟后
}
desk-responses-no-eta = 未给出时间
