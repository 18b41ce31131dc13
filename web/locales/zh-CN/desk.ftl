# Aviso 组织者工作台（issue 13）：简体中文。

nav-desk = 工作台
desk-title = 组织者工作台
desk-back = 返回
desk-sections = 栏目

## 密钥与锁定

desk-lock-unlocked = 您的签名密钥已解锁。无操作 { $minutes } 分钟后会自动锁定。
desk-lock-locked = 您的签名密钥已锁定。解锁后才能签名；密钥从不离开您的节点。
desk-lock-now = 立即锁定
desk-unlock = 解锁密钥
desk-locked-sign = 您的签名密钥已锁定：请先解锁，再重新发送。没有签署任何内容。
desk-key-title = 您的密钥
desk-key-fingerprint = 指纹
desk-key-label = 信任名单上的名称
desk-key-role = 角色
desk-key-none = 此节点没有签名密钥。
desk-role-none = 在此节点关注的名单上，您不是组织者：您签署的警报不会被计入。
desk-role-organizer = 负责 { $areas } 的 { $categories } 的组织者
desk-scope-everywhere = 所有区域
desk-scope-every-category = 所有类别
desk-count-reports = { $count } 条待处理报告
desk-count-waiting = { $count } 条警报等待签名
desk-counts = 您的签名有效：{ $areas } 的 { $category } 组织者。
desk-counts-more = 此类别需要联合签名：再有 { $more } 位组织者签名后，成员才能看到警报。
desk-counts-not = 您的签名不会被计入：{ $why }
desk-expired = 此警报已过期：没有可签署的内容。

## 报告

desk-reports-title = 待核实的报告
desk-reports-intro = 成员尚未核实的报告，最新的在前。同一区域、同一类型、彼此相隔不超过 30 分钟的报告会归为一组。
desk-reports-none = 没有待处理的报告。
desk-reports-members = { $count } 位成员报告了此事
desk-confirm = 确认为警报
desk-dismiss = 驳回
desk-dismiss-reason = 驳回原因
desk-dismiss-false = 虚假报告
desk-dismiss-duplicate = 重复
desk-dismiss-mistaken = 误报
desk-dismiss-reason-missing = 请选择驳回这些报告的原因。
desk-dismissed = 已驳回 { $count } 条报告。

## 联合签名

desk-cosign-title = 待联合签名的警报
desk-cosign-intro = 这些警报需要不止一位组织者签名。在足够多的组织者签名之前，成员看不到它们。签名前请读完整条警报。
desk-cosign-none = 没有等待签名的警报。
desk-cosign-signed = 签名者：{ $names }
desk-cosign-missing = 还差 { $count } 个签名
desk-cosign-yours = 您已签署此警报：需要另一位组织者联合签名。
desk-cosign-endorse = 联合签署此警报
desk-cosign-done = 您的联合签名已发送。

## 撰写

desk-compose-title = 新警报
desk-update-title = 更新警报
desk-templates = 从模板开始
desk-category = 类别
desk-severity = 严重程度
desk-status = 类型
desk-status-actual = 真实
desk-status-exercise = 演练
desk-areas = 区域代码
desk-areas-hint = 用逗号分隔的区域代码。已命名的地点：
desk-place = 地点（成员看到的文字，可选）
desk-place-hint = 只写公开的信息，例如街角。绝不要写住宅地址。
desk-expires = 显示时长
desk-expires-30m = 30 分钟
desk-expires-2h = 2 小时
desk-expires-6h = 6 小时
desk-expires-24h = 24 小时
desk-languages = 语言
desk-languages-hint = 用逗号分隔的语言代码，例如 en, es, ht。标题留空即不包含该语言。
desk-languages-apply = 更改语言
desk-headline = 标题
desk-description = 发生了什么
desk-instruction = 该怎么做
desk-instruction-standard = 常用说明：
desk-instruction-raid = 不要开门。请对方隔着窗户出示法官签署的搜查令。您有权保持沉默。
desk-instruction-checkpoint = 尽量避开该区域。如果被拦下，您有权保持沉默。不要签署任何文件。
desk-instruction-detention = 拨打快速响应热线。记下时间、地点和执法机构。不要在公开场合透露姓名。
desk-instruction-patrol = 保持冷静，避开该区域。不要奔跑。把这条警报分享给邻居。
desk-instruction-other = 保持警惕，听从组织者的指示。
desk-preview = 预览
desk-preview-title = 成员将看到的内容
desk-sign-title = 您将签署的内容
desk-sign-what = 消息
desk-sign-alert = 一条新警报
desk-sign-update = 警报 { $id } 的更新
desk-sign-key = 使用您的密钥签名
desk-sign-confirms = 确认
desk-sign-confirms-count = { $count } 条成员报告
desk-sign-send = 签名并发送
desk-sign-changed = 表单在预览后有改动：请查看新的预览，然后重新签名。
desk-template-name = 将此表单保存为模板，名称
desk-template-save = 保存模板
desk-template-saved = 模板“{ $name }”已保存，并在您的节点上加密。
desk-template-delete = 删除
desk-template-delete-label = 删除模板“{ $name }”
desk-template-deleted = 模板“{ $name }”已删除。
desk-template-missing = 没有名为“{ $name }”的模板。
desk-error-severity = 请选择严重程度。
desk-error-expires = 请选择警报显示多久。
desk-error-headline = { $language } 部分有正文但没有标题：请添加标题。
desk-error-text = 请至少用一种语言写一个标题。
desk-sent = 警报已签名并发送。

## 单条警报

desk-alerts-title = 警报
desk-alerts-shown = 成员可见
desk-alerts-waiting = 等待联合签名
desk-alerts-ended = 已结束或未显示
desk-alerts-none = 无。
desk-alert-title = 警报
desk-alert-shown = 成员可见。
desk-update = 更新
desk-cancel = 取消
desk-all-clear = 解除警报
desk-end-reason = 给成员的简短说明（可选）
desk-end-cancel-title = 取消此警报？
desk-end-cancel-what = 您将签署一条取消消息：成员会以警报的所有语言看到它已被撤回。
desk-end-cancel-sign = 签署取消
desk-end-all_clear-title = 宣布解除警报？
desk-end-all_clear-what = 您将签署一条解除消息：成员会看到危险已经过去。
desk-end-all_clear-sign = 签署解除
desk-ended-cancel = 取消消息已签名并发送。
desk-ended-all_clear = 解除消息已签名并发送。
desk-counts-more-end = 此类别需要联合签名：再有 { $more } 位组织者在其工作台上联合签名后才会生效。
desk-cosign-kind-cancel = 此警报的取消消息：
desk-cosign-kind-all_clear = 此警报的解除消息：
desk-cosign-kind-update = 一条更新：警报的新版本。
desk-alert-not-shown = 成员看不到：{ $why }
