# Aviso web app: English. The reference for every other language.
# Keep messages short: they are read on a phone, often in a hurry.

## The frame of every page

app-name = Aviso
skip-to-content = Skip to content
nav-label = Main
nav-alerts = Alerts
nav-report = Report
nav-help = Help
nav-settings = Settings
nav-status = Status
language-label = Language
language-choose = Change
footer-node = Served by your own Aviso node. Nothing on these pages comes from anywhere else.

## Alerts

alerts-title = Alerts
alerts-intro = Verified alerts from the organizers you follow, most urgent first.
alerts-none = No verified alerts right now.
alerts-none-areas = No verified alerts in your areas right now.
alerts-live = Updates appear here by themselves.
alerts-offline = Not connected to your node: reconnecting…
alert-new = New alert
alert-what-to-do = What to do
alert-what-happens = What is happening
alert-where = Where
alert-when = Since
alert-until = Until { $time }
alert-updated = Updated
alert-expires = Expires
alert-verified = { $count ->
    [one] Verified by one organizer of { $community }
   *[other] Verified by { $count } organizers of { $community }
}
alert-verified-by = Signed by { $names }
alert-drill = This is a drill, not a real alert.
alert-test = This is a technical test, not a real alert.
alert-other-languages = Read in:
alert-show-more = More details
alert-signatures-waiting = { $have } of { $need } signatures

severity-extreme = Extreme danger
severity-severe = Severe
severity-moderate = Moderate
severity-minor = Minor
severity-unknown = Severity unknown

urgency-immediate = Act now
urgency-expected = Act within the hour
urgency-future = Soon
urgency-past = No action needed
urgency-unknown = Timing unknown

category-raid = Raid
category-checkpoint = Checkpoint
category-detention = Detention
category-patrol = Agents patrolling
category-other = Other
category-geo = Earthquake or landslide
category-met = Weather
category-safety = Public safety
category-security = Security
category-rescue = Rescue
category-fire = Fire
category-health = Health
category-env = Environment
category-transport = Transport
category-infra = Power, water or phone lines
category-cbrne = Hazardous materials
category-resources = Resources

ended-title = Recently withdrawn
ended-cancelled = Cancelled: it was wrong or is no longer relevant.
ended-all-clear = All clear: the danger is over.
ended-retracted = Withdrawn by the organizers.
ended-revoked = Withdrawn: the key that signed it is no longer trusted.
ended-expired = Expired.
ended-superseded = Replaced by a newer version.

## Time, relative to now

time-just-now = just now
time-minutes-ago = { $n ->
    [one] 1 minute ago
   *[other] { $n } minutes ago
}
time-hours-ago = { $n ->
    [one] 1 hour ago
   *[other] { $n } hours ago
}
time-days-ago = { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}

## Reports (unverified)

reports-title = Unverified reports
reports-intro = Sent by members. Nobody has confirmed these yet: do not act on them alone, and do not share them as fact.
reports-none = No unverified reports.
report-state-unverified = Unverified
report-state-confirmed = Confirmed by an alert
report-state-dismissed = Dismissed by an organizer
report-seen = Seen { $ago }
report-more = Show older reports

## Report what you see

report-title = Report what you see
report-intro = Your report goes to the organizers of your community. It is shown to others as unverified until an organizer confirms it.
report-category = What did you see?
report-area = Where?
report-area-named = Choose a place
report-area-none = No named places yet: use your location or type an area code.
report-area-code = Or an area code
report-area-code-hint = A short code for the area, such as 9q8yy. Ask your organizers.
report-use-location = Use my location
report-location-privacy = Your exact location never leaves this phone: only a neighbourhood-sized area is sent.
report-location-failed = Your location is not available. Choose a place instead.
report-when = When?
report-when-now = Just now
report-when-15 = About 15 minutes ago
report-when-60 = About an hour ago
report-text = Describe what you see
report-text-hint = How many agents or vehicles, what they are doing. No names, faces or licence plates of neighbours.
report-send = Send report
report-sent-title = Report sent
report-sent = Thank you. Organizers will check it. Until one confirms it, it is shown as unverified.
report-sent-queued = Saved. Your node is not connected right now: it sends the report as soon as it can.
report-another = Send another report

## Help near you

help-title = Help near you
help-intro = Legal aid, helplines, shelters and more, published by the organizers you follow.
help-none = No resources match. Try fewer filters.
help-filters = Filter
help-kind = Kind of help
help-kind-all = All kinds
help-language = Language spoken
help-language-any = Any language
help-free = Free
help-no-id = No ID required
help-confidential = Confidential
help-walk-in = No appointment needed
help-open-now = Open now
help-apply = Apply
help-call = Call { $phone }
help-website = Website
help-address = Address
help-hours = Hours
help-languages = Speaks
help-event-when = { $start } to { $end }

kind-legal_aid = Legal aid
kind-helpline = Helpline
kind-shelter = Shelter
kind-food = Food
kind-medical = Medical
kind-transport = Transport
kind-workshop = Workshop
kind-event = Event
kind-other = Other

## Settings

settings-title = Settings
settings-languages = Languages
settings-languages-hint = Alerts are shown in the first of these that they carry.
settings-areas = Areas of interest
settings-areas-hint = Only alerts for these areas are shown. Leave empty for everywhere.
settings-places = Places you follow
settings-places-hint = Named by your organizers. Ticked places are added to the areas above.
settings-follow = Lists you follow
settings-follow-hint = Alerts count as verified only when signed by organizers on these lists.
settings-notifications = Notifications
settings-notify-severe = Notify me of severe alerts in my areas
settings-sound = Play a sound
settings-push = Notify me when the app is closed (Web Push)
settings-push-privacy = With this on, the push service of this device's maker (Google, Apple or Mozilla) learns when this device gets a notification and from which node, but not what it says: it is encrypted for this device alone. Your node keeps this device's push address until you turn this off.
settings-save = Save
settings-saved = Saved.

## Status

status-title = Status
status-connected = { $peers ->
    [0] Not connected to anyone yet.
    [one] Connected to 1 node.
   *[other] Connected to { $peers } nodes.
}
status-catch-up = Last catch-up: { $ago }
status-catch-up-never = Not caught up yet.
status-reach = How others reach this node
status-community = Community

## Signing in and the key

signin-title = Sign in
signin-intro = To open Aviso in this browser, run `aviso web` on the computer where your node runs, and open the link it shows.
signin-used = This link was already used or has expired. Run `aviso web` again for a new one.
unlock-title = Unlock your key
unlock-intro = Sending a report or an alert needs your signature. Your key stays in your node; this unlocks it for { $minutes } minutes of inactivity.
unlock-passphrase = Passphrase
unlock-submit = Unlock
unlock-wrong = Wrong passphrase. Try again.
unlock-wait = Too many attempts. Wait { $seconds } seconds.
unlock-state-locked = Your key is locked.
unlock-state-unlocked = Your key is unlocked.
lock-now = Lock now

## Form errors

error-title = Please check the form
error-required = { $field } is required.
error-too-long = { $field } is too long: { $length } characters, at most { $limit }.
error-area = { $field }: “{ $value }” is not an area code. Use letters and digits such as 9q8yy.
error-category = Choose what you saw.
error-generic = That did not work: { $why }
error-not-found = Page not found.
error-forbidden = This request was refused. Open Aviso from its own address.

## Web Push on this device, the node's reachability, the list owner's label
## (new in the push branch: native review needed)

push-toggle = Turn on for this device
push-state-on = This device gets notifications while the app is closed.
push-state-off = Off on this device.
push-denied = Notifications are blocked for this site in the browser's settings.
push-failed = That did not work. Try again later.
push-title = { $severity }: { $category }
status-reach-direct = Other nodes can reach this node directly.
status-reach-direct-relay = Other nodes can reach this node directly, and it relays for the community.
status-reach-relayed = Behind a router: other nodes reach this node through a community relay.
status-reach-unknown = Not reachable yet: no other node has confirmed an address of this node.
label-list-owner = list owner

## Phones on the home network: pairing and paired devices. (New: needs native review in every language but English.)
pair-title = Pair this phone
pair-intro = This connects this phone or tablet to your node over your home network. Use the link or code that `aviso web pair` shows on the computer where your node runs.
pair-code = Pairing code
pair-code-hint = Filled in from the QR code. It works once, for 10 minutes.
pair-name = Name of this device
pair-name-hint = So you can recognize it in the list of paired devices.
pair-submit = Pair
pair-trust-title = Trust this node (optional)
pair-trust-intro = Install your node's certificate so this phone can install the app and open it without a network. Before you install it, check that its SHA-256 fingerprint is exactly this one, the same that `aviso web pair` shows:
pair-trust-download = Download the node's certificate
pair-trust-optional = Without it, the pages still work in the browser, after its warning about the certificate. docs/phones.md has the steps for Android and iPhone.
pair-refused = This code is wrong, already used or expired. Run `aviso web pair` again for a new one.
pair-too-many = Too many wrong codes. Run `aviso web pair` again for a new one.
pair-full = Too many devices are paired. Revoke one in Settings on the computer where your node runs.
devices-title = Paired devices
devices-hint = Phones and tablets that open Aviso over your home network. Revoking one signs it out at once.
devices-none = No device is paired yet.
devices-revoke = Revoke
devices-when = paired { $paired }, last used { $seen }

# Panic wipe (issue 14). Needs native review.
settings-panic = Emergency wipe
settings-panic-hint = If this device is taken or about to be, erase everything Aviso keeps on it: messages, keys, settings.
settings-panic-open = Erase this device…
panic-title = Erase everything on this device?
panic-explain = This destroys your signing key and everything this node has stored, at once and for good. Nobody can read it afterwards, not even you. To use Aviso again, you will need an invite.
panic-confirm = Erase everything now
panic-cancel = Cancel, go back to settings
pairing-button = Pair a phone
pairing-title = Pair a phone
pairing-step-wifi = Connect the phone to the same Wi-Fi as this computer.
pairing-step-scan = Scan this code with the phone's camera, or open the address on the phone and type the code.
pairing-address = Address
pairing-code = Code
pairing-step-trust = The phone then offers your node's certificate, so it can install the app. Its fingerprint must be exactly:
pairing-expires = { $minutes ->
    [one] The code works once, for { $minutes } minute.
   *[other] The code works once, for { $minutes } minutes.
}
pairing-again = Make a new code
pairing-back = Back to settings
pairing-qr-label = QR code of the pairing address
pairing-off = Phones on your home network are turned off. To turn them on, run `aviso web pair --enable` on this computer and restart the node (or start it with `aviso node --lan`).
