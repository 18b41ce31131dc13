# The organizer desk: the trust list, resource notices and invites.
# "Sign" always means the organizer's own key signs, through their node.

lists-nav = Organizer lists
lists-trust-title = Trust list
lists-resources-title = Resource notices
lists-invites-title = Invites
lists-no-community = This node has joined no community yet.
lists-sign-what = What you will sign

## Trust list

lists-trust-intro = Who your community trusts: organizers sign alerts and resource notices, members send reports. Changes are a draft until you publish them.
lists-trust-never-published = never published
lists-trust-published-version = version { $version } published
lists-trust-draft-pending = draft of version { $version } with changes not yet published ({ $published })
lists-trust-none-published = no list published yet
lists-trust-read-only = Only the owner of this list can change it. You see the published version.
lists-trust-saved = Draft saved. Publish it when you are ready.
lists-trust-saved-revoked = Key revoked in the draft. Publish soon: it takes effect when nodes receive the list.
lists-trust-published = Version { $version } published. Nodes follow it as soon as they receive it.
lists-trust-entries = People on the list
lists-trust-no-entries = No one is on the list yet.
lists-trust-revoked = Revoked keys
lists-trust-thresholds = Signatures needed
lists-trust-no-thresholds = One organizer's signature is enough for every category.
lists-trust-delegates = Lists you trust
lists-trust-back = Back to the trust list
lists-threshold-row = { $category }: { $k } signatures
lists-threshold-category = Category
lists-threshold-k = Signatures needed (1 to 8)
lists-threshold-set = Set
lists-change = Change
lists-remove = Remove
lists-revoke = Revoke
lists-revoke-hint = For a lost, stolen or misused key. What it signed is no longer trusted, and it cannot be added back.
lists-revoke-reason = Reason
lists-revoke-since = Distrust
lists-revoke-since-now = only what it signs from now on
lists-revoke-since-date = what it signed from a date on
lists-revoke-date = Date
lists-since-everything = nothing it ever signed is trusted any more
lists-since-date = what it signed since { $date } is not trusted
lists-role-organizer = organizer (signs alerts and resource notices)
lists-role-member = member (sends reports)
lists-scope = { $role }; { $areas }; { $categories }; { $until }
lists-scope-everywhere = everywhere
lists-scope-all-categories = all categories and resource notices
lists-scope-until = until { $date }
lists-scope-with-list = as long as the list
lists-delegate-scope = { $areas }; { $categories }
lists-add-title = Add someone
lists-add-change-title = Change an entry
lists-add-key = Their public key
lists-add-key-hint = 64 characters, shown by “aviso id” on their device. Check the fingerprint with them in person.
lists-add-label = Name on the list
lists-add-role = What they may do
lists-add-areas = Areas
lists-add-areas-hint = Area codes separated by commas, such as 9q8yy. Leave empty for everywhere.
lists-add-categories = Categories
lists-add-categories-hint = None ticked: all categories and resource notices.
lists-add-expires = Until
lists-add-expires-hint = A date (2027-06-30) or a duration (90d). Leave empty: as long as the list.
lists-add-submit = Add to the draft
lists-add-change-submit = Save the change
lists-error-key = That is not a public key: paste the 64 characters shown by “aviso id”.
lists-error-revoked = { $fingerprint } is revoked: a revoked key cannot be trusted again. Its owner needs a new key.
lists-error-not-listed = { $fingerprint } is not on the list.
lists-error-own-key = You cannot revoke or delegate to your own key on your own list.
lists-error-expires = Give a date such as 2027-06-30, or a duration such as 90d.
lists-error-expires-past = That date has passed. Give a later one.
lists-error-since-future = That date is in the future: what the key signs until then would stay trusted. Choose a past date or “from now on”.
lists-error-date = Give the date from which the key is distrusted.
lists-error-threshold = Give a number from 1 to { $max }.

## Publishing the trust list

lists-publish-title = Publish the trust list
lists-publish-review = Review and publish
lists-publish-changes = What changes from the published version
lists-publish-nothing = The draft is the same as the published version: nothing to publish.
lists-publish-stale = The draft changed since you looked. Check the changes again.
lists-publish-signs = Your key { $fingerprint } signs the list “{ $name }”, version { $version }, valid until { $until }. Every node of the community follows it as soon as it receives it.
lists-publish-confirm = Sign and publish
lists-publish-unlock = Unlock your key to sign
lists-diff-renamed = List renamed from “{ $from }” to “{ $to }”
lists-diff-added = Add { $label } ({ $fingerprint }): { $scope }
lists-diff-removed = Take { $label } ({ $fingerprint }) off the list
lists-diff-changed = Change { $label } ({ $fingerprint }): was { $old }. Now { $new }
lists-diff-changed-renamed = Change { $was }, now { $label } ({ $fingerprint }): was { $old }. Now { $new }
lists-diff-revoked = Revoke { $fingerprint }: { $since }. Reason: { $reason }
lists-diff-unrevoked = Lift the revocation of { $fingerprint }
lists-diff-threshold = { $category }: { $from } → { $to } { $to ->
    [one] signature needed
   *[other] signatures needed
}
lists-diff-delegate-added = Trust the list of { $label } ({ $fingerprint }): { $scope }
lists-diff-delegate-removed = Stop trusting the list of { $label } ({ $fingerprint })
lists-diff-delegate-changed = Change delegate { $label } ({ $fingerprint }): now { $scope }

## Resource notices

lists-resources-intro = Legal aid, helplines, shelters, food, events: what members find under Help. A new version replaces the old one.
lists-resources-yours = Your notices
lists-resources-none = You have published no notice yet.
lists-resource-new = New notice
lists-resource-update-title = Update a notice
lists-resource-update = Update
lists-resource-withdraw = Withdraw
lists-resource-kind = Kind
lists-resource-text-1 = Name and text
lists-resource-text-2 = In a second language
lists-resource-name = Name
lists-resource-description = What it offers, for whom
lists-resource-hours = Opening hours
lists-resource-areas = Area served
lists-resource-phone = Phone
lists-resource-url = Web address
lists-resource-address = Street address
lists-resource-address-hint = Only a public address. Never a safe house.
lists-resource-flags = Good to know
lists-resource-free = Free of charge
lists-resource-no-id = No ID needed
lists-resource-confidential = Confidential
lists-resource-walk-in = No appointment needed
lists-resource-expires = Shown for
lists-resource-expires-days = { $days } days
lists-resource-signs = Your key { $fingerprint } signs this notice; every node of the community shows it to members until it expires or you withdraw it.
lists-resource-submit = Sign and publish
lists-resource-update-submit = Sign and publish the new version
lists-resource-sent = Notice published.
lists-resource-withdrawn = Notice withdrawn. Members no longer see it.
lists-resource-error-kind = Choose a kind.

## Invites

lists-invite-intro = Someone who scans or pastes this invite in Aviso joins { $community }.
lists-invite-qr-label = Invite to { $community } as a QR code
lists-invite-scan = Scan with the phone's camera in Aviso.
lists-invite-text = The same invite as text
lists-invite-text-hint = Copy it into a message to someone you trust. It holds no secret, but it tells who your organizers are.
lists-invite-too-long = This invite is too long for a QR code: give the text instead.
lists-invite-gives = What it gives
lists-invite-gives-join = It joins the community { $community }.
lists-invite-gives-roots = { $count ->
    [one] It follows the trust list of its organizer key:
   *[other] It follows the trust lists of its { $count } organizer keys:
}
lists-invite-gives-addresses = { $count ->
    [0] It carries no node address: phones find your node only on the same network.
    [one] It carries one node address to connect to first.
   *[other] It carries { $count } node addresses to connect to first.
}
lists-invite-gives-not = It does not make anyone a member or an organizer: add their key to the trust list for that.
lists-invite-valid = How long it holds
lists-invite-valid-text = It does not expire: it holds as long as the community's organizer keys stay the same. If the addresses in it stop working, a new invite from “aviso community invite --update” replaces it.
