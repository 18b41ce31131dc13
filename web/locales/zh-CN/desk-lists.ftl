# 组织者工作台：信任名单、资源通知和邀请。

lists-nav = 组织者名单
lists-trust-title = 信任名单
lists-resources-title = 资源通知
lists-invites-title = 邀请
lists-no-community = 此节点尚未加入任何社区。
lists-sign-what = 您将签名的内容

## 信任名单

lists-trust-intro = 您的社区信任谁：组织者签发警报和资源通知，成员发送报告。更改在您发布之前只是草稿。
lists-trust-never-published = 从未发布
lists-trust-published-version = 已发布第 { $version } 版
lists-trust-draft-pending = 第 { $version } 版草稿，有尚未发布的更改（{ $published }）
lists-trust-none-published = 尚未发布名单
lists-trust-read-only = 只有此名单的所有者可以更改它。您看到的是已发布的版本。
lists-trust-saved = 草稿已保存。准备好后请发布。
lists-trust-saved-revoked = 草稿中已撤销该密钥。请尽快发布：节点收到名单后才生效。
lists-trust-published = 第 { $version } 版已发布。节点收到后立即遵循。
lists-trust-entries = 名单上的人
lists-trust-no-entries = 名单上还没有人。
lists-trust-revoked = 已撤销的密钥
lists-trust-thresholds = 所需签名数
lists-trust-no-thresholds = 所有类别只需一位组织者签名。
lists-trust-delegates = 您信任的名单
lists-trust-back = 返回信任名单
lists-threshold-row = { $category }：{ $k } 个签名
lists-threshold-category = 类别
lists-threshold-k = 所需签名数（1 到 8）
lists-threshold-set = 设置
lists-change = 更改
lists-remove = 移除
lists-revoke = 撤销
lists-revoke-hint = 用于丢失、被盗或被滥用的密钥。它签过的内容不再可信，且不能再加回名单。
lists-revoke-reason = 原因
lists-revoke-since = 不再信任
lists-revoke-since-now = 仅从现在起它签的内容
lists-revoke-since-date = 从某个日期起它签的内容
lists-revoke-date = 日期
lists-since-everything = 它签过的任何内容都不再可信
lists-since-date = 自 { $date } 起它签的内容不可信
lists-role-organizer = 组织者（签发警报和资源通知）
lists-role-member = 成员（发送报告）
lists-scope = { $role }；{ $areas }；{ $categories }；{ $until }
lists-scope-everywhere = 所有地区
lists-scope-all-categories = 所有类别和资源通知
lists-scope-until = 至 { $date }
lists-scope-with-list = 与名单同期
lists-delegate-scope = { $areas }；{ $categories }
lists-add-title = 添加人员
lists-add-change-title = 更改条目
lists-add-key = 对方的公钥
lists-add-key-hint = 64 个字符，在对方设备上由“aviso id”显示。请当面与对方核对指纹。
lists-add-label = 名单上的名字
lists-add-role = 可以做什么
lists-add-areas = 地区
lists-add-areas-hint = 用逗号分隔的地区代码，例如 9q8yy。留空表示所有地区。
lists-add-categories = 类别
lists-add-categories-hint = 不勾选：所有类别和资源通知。
lists-add-expires = 有效至
lists-add-expires-hint = 日期（2027-06-30）或时长（90d）。留空：与名单同期。
lists-add-submit = 加入草稿
lists-add-change-submit = 保存更改
lists-error-key = 这不是公钥：请粘贴“aviso id”显示的 64 个字符。
lists-error-revoked = { $fingerprint } 已被撤销：被撤销的密钥不能再被信任。其所有者需要新的密钥。
lists-error-not-listed = { $fingerprint } 不在名单上。
lists-error-own-key = 您不能在自己的名单上撤销自己的密钥或委托给自己的密钥。
lists-error-expires = 请填写日期，例如 2027-06-30，或时长，例如 90d。
lists-error-expires-past = 该日期已过。请填写更晚的日期。
lists-error-since-future = 该日期在将来：在那之前该密钥签的内容仍会被信任。请选择过去的日期或“从现在起”。
lists-error-date = 请填写从哪一天起不再信任该密钥。
lists-error-threshold = 请填写 1 到 { $max } 之间的数字。

## 发布信任名单

lists-publish-title = 发布信任名单
lists-publish-review = 检查并发布
lists-publish-changes = 与已发布版本相比的更改
lists-publish-nothing = 草稿与已发布版本相同：没有可发布的内容。
lists-publish-stale = 您查看之后草稿已更改。请再次检查更改。
lists-publish-signs = 您的密钥 { $fingerprint } 签署名单“{ $name }”第 { $version } 版，有效期至 { $until }。社区的每个节点收到后立即遵循。
lists-publish-confirm = 签名并发布
lists-publish-unlock = 解锁密钥以签名
lists-diff-renamed = 名单由“{ $from }”改名为“{ $to }”
lists-diff-added = 添加 { $label }（{ $fingerprint }）：{ $scope }
lists-diff-removed = 将 { $label }（{ $fingerprint }）移出名单
lists-diff-changed = 更改 { $label }（{ $fingerprint }）：原为 { $old }。现为 { $new }
lists-diff-changed-renamed = 更改 { $was }，现名 { $label }（{ $fingerprint }）：原为 { $old }。现为 { $new }
lists-diff-revoked = 撤销 { $fingerprint }：{ $since }。原因：{ $reason }
lists-diff-unrevoked = 取消对 { $fingerprint } 的撤销
lists-diff-threshold = { $category }：所需签名 { $from } → { $to }
lists-diff-delegate-added = 信任 { $label }（{ $fingerprint }）的名单：{ $scope }
lists-diff-delegate-removed = 不再信任 { $label }（{ $fingerprint }）的名单
lists-diff-delegate-changed = 更改 { $label }（{ $fingerprint }）的委托：现为 { $scope }

## 资源通知

lists-resources-intro = 法律援助、求助热线、庇护所、食物、活动：成员在“帮助”中看到的内容。新版本会取代旧版本。
lists-resources-yours = 您的通知
lists-resources-none = 您还没有发布任何通知。
lists-resource-new = 新通知
lists-resource-update-title = 更新通知
lists-resource-update = 更新
lists-resource-withdraw = 撤回
lists-resource-kind = 类型
lists-resource-text-1 = 名称和文字
lists-resource-text-2 = 第二种语言
lists-resource-name = 名称
lists-resource-description = 提供什么，面向谁
lists-resource-hours = 开放时间
lists-resource-areas = 服务地区
lists-resource-phone = 电话
lists-resource-url = 网址
lists-resource-address = 地址
lists-resource-address-hint = 只填公开地址。绝不填安全屋。
lists-resource-flags = 须知
lists-resource-free = 免费
lists-resource-no-id = 无需证件
lists-resource-confidential = 保密
lists-resource-walk-in = 无需预约
lists-resource-expires = 显示时长
lists-resource-expires-days = { $days } 天
lists-resource-signs = 您的密钥 { $fingerprint } 签署此通知；社区的每个节点都会向成员显示它，直到过期或您撤回。
lists-resource-submit = 签名并发布
lists-resource-update-submit = 签名并发布新版本
lists-resource-sent = 通知已发布。
lists-resource-withdrawn = 通知已撤回。成员不再看到它。
lists-resource-error-kind = 请选择类型。

## 邀请

lists-invite-intro = 在 Aviso 中扫描或粘贴此邀请的人将加入 { $community }。
lists-invite-qr-label = 加入 { $community } 的邀请二维码
lists-invite-scan = 在 Aviso 中用手机摄像头扫描。
lists-invite-text = 同一邀请的文字形式
lists-invite-text-hint = 把它复制到发给可信之人的消息中。它不含任何秘密，但会显示您的组织者是谁。
lists-invite-too-long = 此邀请太长，无法生成二维码：请改用文字。
lists-invite-gives = 它的作用
lists-invite-gives-join = 加入社区 { $community }。
lists-invite-gives-roots = { $count ->
   *[other] 遵循其 { $count } 个组织者密钥的信任名单：
}
lists-invite-gives-addresses = { $count ->
    [0] 不含节点地址：手机只能在同一网络中找到您的节点。
   *[other] 含有 { $count } 个最先连接的节点地址。
}
lists-invite-gives-not = 它不会让任何人成为成员或组织者：为此请把对方的密钥加入信任名单。
lists-invite-valid = 有效期
lists-invite-valid-text = 它不会过期：只要社区的组织者密钥不变就有效。如果其中的地址失效，可用“aviso community invite --update”生成的新邀请代替。
