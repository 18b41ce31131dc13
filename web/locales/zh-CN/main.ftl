# Aviso 网页应用：简体中文。需要母语者审校。

## 每页的框架

app-name = Aviso
skip-to-content = 跳到正文
nav-label = 主菜单
nav-alerts = 警报
nav-report = 报告
nav-help = 求助
nav-settings = 设置
nav-status = 状态
language-label = 语言
language-choose = 切换
footer-node = 由您自己的 Aviso 节点提供。这些页面上的内容不来自任何其他地方。

## 警报

alerts-title = 警报
alerts-intro = 您关注的组织者核实过的警报，最紧急的在前。
alerts-none = 目前没有已核实的警报。
alerts-none-areas = 您关注的区域目前没有已核实的警报。
alerts-live = 新消息会自动出现在这里。
alerts-offline = 与您的节点断开连接：正在重新连接…
alert-new = 新警报
alert-what-to-do = 该怎么做
alert-what-happens = 发生了什么
alert-where = 地点
alert-when = 开始于
alert-until = 有效至 { $time }
alert-updated = 已更新
alert-expires = 到期
alert-verified = { $count ->
   *[other] 已由 { $community } 的 { $count } 位组织者核实
}
alert-verified-by = 签名者：{ $names }
alert-drill = 这是演习，不是真实警报。
alert-test = 这是技术测试，不是真实警报。
alert-other-languages = 其他语言：
alert-show-more = 更多详情
alert-signatures-waiting = 已有 { $have } 个签名，需要 { $need } 个

severity-extreme = 极度危险
severity-severe = 严重
severity-moderate = 中等
severity-minor = 轻微
severity-unknown = 严重程度未知

urgency-immediate = 立即行动
urgency-expected = 一小时内行动
urgency-future = 即将
urgency-past = 无需行动
urgency-unknown = 时间未知

category-raid = 突袭搜查
category-checkpoint = 检查站
category-detention = 拘留
category-patrol = 执法人员巡逻
category-other = 其他
category-geo = 地震或山体滑坡
category-met = 天气
category-safety = 公共安全
category-security = 治安
category-rescue = 救援
category-fire = 火灾
category-health = 健康
category-env = 环境
category-transport = 交通
category-infra = 电、水或电话线路
category-cbrne = 危险物质
category-resources = 资源

ended-title = 最近撤销的警报
ended-cancelled = 已取消：信息有误或不再适用。
ended-all-clear = 解除警报：危险已经过去。
ended-retracted = 已被组织者撤回。
ended-revoked = 已撤回：签署它的密钥已不再受信任。
ended-expired = 已过期。
ended-superseded = 已被新版本取代。

## 时间（相对于现在）

time-just-now = 刚刚
time-minutes-ago = { $n ->
   *[other] { $n } 分钟前
}
time-hours-ago = { $n ->
   *[other] { $n } 小时前
}
time-days-ago = { $n ->
   *[other] { $n } 天前
}

## 报告（未核实）

reports-title = 未核实的报告
reports-intro = 由成员发送，尚无人确认：请勿仅凭这些采取行动，也不要当作事实转发。
reports-none = 没有未核实的报告。
report-state-unverified = 未核实
report-state-confirmed = 已由警报确认
report-state-dismissed = 已被组织者驳回
report-seen = 目击于 { $ago }
report-more = 查看更早的报告

## 报告您看到的情况

report-title = 报告您看到的情况
report-intro = 您的报告会发给您所在社区的组织者。在组织者确认之前，其他人看到的是“未核实”。
report-category = 您看到了什么？
report-area = 在哪里？
report-area-named = 选择地点
report-area-none = 还没有命名的地点：请使用您的位置或输入区域代码。
report-area-code = 或输入区域代码
report-area-code-hint = 区域的短代码，例如 9q8yy。可以问您的组织者。
report-use-location = 使用我的位置
report-location-privacy = 您的精确位置不会离开这部手机：只发送一个街区大小的区域。
report-location-failed = 无法获取您的位置。请改为选择地点。
report-when = 什么时候？
report-when-now = 刚刚
report-when-15 = 大约 15 分钟前
report-when-60 = 大约一小时前
report-text = 描述您看到的情况
report-text-hint = 有多少执法人员或车辆，他们在做什么。不要写邻居的姓名、长相或车牌。
report-send = 发送报告
report-sent-title = 报告已发送
report-sent = 谢谢。组织者会核查。在有人确认之前，它会显示为未核实。
report-sent-queued = 已保存。您的节点目前未连接：一有机会就会发送报告。
report-another = 再发一份报告

## 附近的帮助

help-title = 附近的帮助
help-intro = 法律援助、求助热线、庇护所等，由您关注的组织者发布。
help-none = 没有符合条件的结果。请减少筛选条件。
help-filters = 筛选
help-kind = 帮助类型
help-kind-all = 所有类型
help-language = 使用的语言
help-language-any = 任何语言
help-free = 免费
help-no-id = 无需身份证件
help-confidential = 保密
help-walk-in = 无需预约
help-open-now = 现在开放
help-apply = 应用
help-call = 拨打 { $phone }
help-website = 网站
help-address = 地址
help-hours = 开放时间
help-languages = 使用语言
help-event-when = { $start } 至 { $end }

kind-legal_aid = 法律援助
kind-helpline = 求助热线
kind-shelter = 庇护所
kind-food = 食物
kind-medical = 医疗
kind-transport = 交通
kind-workshop = 讲座培训
kind-event = 活动
kind-other = 其他

## 设置

settings-title = 设置
settings-languages = 语言
settings-languages-hint = 警报会以其中第一个可用的语言显示。
settings-areas = 关注的区域
settings-areas-hint = 只显示这些区域的警报。留空表示所有地方。
settings-places = 您关注的地点
settings-places-hint = 由组织者命名。勾选的地点会加到上面的区域中。
settings-follow = 您关注的名单
settings-follow-hint = 只有这些名单上的组织者签名的警报才算已核实。
settings-notifications = 通知
settings-notify-severe = 我的区域有严重警报时通知我
settings-sound = 播放提示音
settings-push = 应用关闭时也通知我（Web Push）
settings-push-privacy = 开启后，本设备厂商的推送服务（Google、Apple 或 Mozilla）会知道本设备何时收到通知、来自哪个节点，但不知道通知内容：内容只为本设备加密。在您关闭此项之前，您的节点会保存本设备的推送地址。
settings-save = 保存
settings-saved = 已保存。

## 状态

status-title = 状态
status-connected = { $peers ->
    [0] 尚未连接任何节点。
   *[other] 已连接 { $peers } 个节点。
}
status-catch-up = 上次同步：{ $ago }
status-catch-up-never = 尚未同步。
status-reach = 其他人如何连接到此节点
status-community = 社区

## 登录与密钥

signin-title = 登录
signin-intro = 要在此浏览器中打开 Aviso，请在运行节点的电脑上运行 `aviso web`，然后打开它显示的链接。
signin-used = 此链接已被使用或已过期。请再次运行 `aviso web` 获取新链接。
unlock-title = 解锁您的密钥
unlock-intro = 发送报告或警报需要您的签名。您的密钥保存在您的节点中；解锁后，无操作 { $minutes } 分钟会自动锁定。
unlock-passphrase = 密码短语
unlock-submit = 解锁
unlock-wrong = 密码短语错误。请重试。
unlock-wait = 尝试次数过多。请等待 { $seconds } 秒。
unlock-state-locked = 您的密钥已锁定。
unlock-state-unlocked = 您的密钥已解锁。
lock-now = 立即锁定

## 表单错误

error-title = 请检查表单
error-required = 请填写{ $field }。
error-too-long = { $field }太长：{ $length } 个字符，最多 { $limit } 个。
error-area = { $field }：“{ $value }”不是区域代码。请使用字母和数字，例如 9q8yy。
error-category = 请选择您看到了什么。
error-generic = 操作失败：{ $why }
error-not-found = 找不到页面。
error-forbidden = 此请求被拒绝。请从 Aviso 自己的地址打开它。

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = 在本设备上开启
push-state-on = 应用关闭时，本设备也会收到通知。
push-state-off = 本设备未开启。
push-denied = 浏览器设置已阻止此网站的通知。
push-failed = 操作失败，请稍后再试。
push-title = { $severity }：{ $category }
status-reach-direct = 其他节点可以直接连接到本节点。
status-reach-direct-relay = 其他节点可以直接连接到本节点，本节点也为社区提供中继。
status-reach-relayed = 位于路由器之后：其他节点通过社区中继连接到本节点。
status-reach-unknown = 暂时无法连接：还没有其他节点确认本节点的地址。
label-list-owner = 名单所有者

## 家庭网络上的手机：配对与已配对的设备。（新增：需要母语审校。）
pair-title = 配对这部手机
pair-intro = 这会让这部手机或平板通过家庭网络连接到您的节点。请使用在运行节点的电脑上 `aviso web pair` 显示的链接或配对码。
pair-code = 配对码
pair-code-hint = 由二维码自动填写。只能使用一次，10 分钟内有效。
pair-name = 此设备的名称
pair-name-hint = 方便您在已配对设备列表中认出它。
pair-submit = 配对
pair-trust-title = 信任此节点（可选）
pair-trust-intro = 安装您节点的证书后，这部手机就能安装应用并在没有网络时打开它。安装前，请确认其 SHA-256 指纹与下面完全一致，也就是 `aviso web pair` 显示的那一个：
pair-trust-download = 下载节点的证书
pair-trust-optional = 不安装也可以：浏览器提示证书警告后，页面照样能用。docs/phones.md 中有 Android 和 iPhone 的步骤。
pair-refused = 此配对码错误、已使用或已过期。请再次运行 `aviso web pair` 获取新的配对码。
pair-too-many = 错误的配对码太多。请再次运行 `aviso web pair` 获取新的配对码。
pair-full = 已配对的设备太多。请在运行节点的电脑上，于“设置”中撤销一个。
devices-title = 已配对的设备
devices-hint = 通过家庭网络打开 Aviso 的手机和平板。撤销后，该设备会立即退出。
devices-none = 还没有配对的设备。
devices-revoke = 撤销
devices-when = 配对于{ $paired }，最后使用于{ $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = 紧急清除
settings-panic-hint = 如果这台设备被拿走或即将被拿走，请清除 Aviso 在其中保存的一切：消息、密钥、设置。
settings-panic-open = 清除这台设备…
panic-title = 清除这台设备上的一切？
panic-explain = 这会立即并永久销毁您的签名密钥和本节点保存的一切。之后没有人能读取，包括您自己。要再次使用 Aviso，您需要一个邀请。
panic-confirm = 立即全部清除
panic-cancel = 取消，返回设置
pairing-button = 配对手机
pairing-title = 配对手机
pairing-step-wifi = 把手机连到与这台电脑相同的 Wi-Fi。
pairing-step-scan = 用手机相机扫描这个二维码，或在手机上打开这个地址并输入配对码。
pairing-address = 地址
pairing-code = 配对码
pairing-step-trust = 之后手机会提供你节点的证书，以便安装应用。它的指纹必须完全是：
pairing-expires = { $minutes ->
   *[other] 配对码只能用一次，有效 { $minutes } 分钟。
}
pairing-again = 生成新的配对码
pairing-back = 返回设置
pairing-qr-label = 配对地址的二维码
pairing-off = 家庭网络上的手机访问已关闭。要开启，请在这台电脑上运行 `aviso web pair --enable` 并重启节点（或用 `aviso node --lan` 启动）。
