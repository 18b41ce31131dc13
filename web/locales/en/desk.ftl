# Aviso web app, the organizer desk (issue 13): English. The reference for every other language.

nav-desk = Desk
desk-title = Organizer desk
desk-back = Back
desk-sections = Sections

## The key and its lock

desk-lock-unlocked = Your signing key is unlocked. It locks itself after { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
} without use.
desk-lock-locked = Your signing key is locked. Unlock it to sign; the key never leaves your node.
desk-lock-now = Lock now
desk-unlock = Unlock the key
desk-locked-sign = Your signing key is locked: unlock it, then send again. Nothing was signed.
desk-key-title = Your key
desk-key-fingerprint = Fingerprint
desk-key-label = Name on the trust list
desk-key-role = Role
desk-key-none = This node has no signing key.
desk-role-none = Not an organizer on the lists this node follows: your signatures on alerts would not count.
desk-role-organizer = Organizer for { $categories } in { $areas }
desk-scope-everywhere = every area
desk-scope-every-category = every category
desk-count-reports = { $count ->
    [one] 1 open report
   *[other] { $count } open reports
}
desk-count-waiting = { $count ->
    [one] 1 alert waiting for a signature
   *[other] { $count } alerts waiting for signatures
}
desk-counts = Your signature counts: organizer for { $category } in { $areas }.
desk-counts-more = This category needs co-signatures: members see the alert once { $more ->
    [one] 1 more organizer signs it
   *[other] { $more } more organizers sign it
}.
desk-counts-not = Your signature would not count: { $why }
desk-expired = This alert has expired: there is nothing to sign.

## Report queue

desk-reports-title = Reports to verify
desk-reports-intro = Unverified reports from members, newest first. Reports of the same kind in the same area within 30 minutes of each other are grouped.
desk-reports-none = No open reports.
desk-reports-members = { $count ->
    [one] Reported by 1 member
   *[other] Reported by { $count } members
}
desk-confirm = Confirm as an alert
desk-dismiss = Dismiss
desk-dismiss-reason = Why dismiss
desk-dismiss-false = False report
desk-dismiss-duplicate = Duplicate
desk-dismiss-mistaken = Mistaken
desk-dismiss-reason-missing = Choose why you dismiss these reports.
desk-dismissed = { $count ->
    [one] 1 report dismissed.
   *[other] { $count } reports dismissed.
}

## Co-signatures

desk-cosign-title = Alerts to co-sign
desk-cosign-intro = These alerts need more than one organizer's signature. Members do not see them until enough organizers sign. Read the whole alert before you sign.
desk-cosign-none = No alerts are waiting for a signature.
desk-cosign-signed = Signed by { $names }
desk-cosign-missing = { $count ->
    [one] Waiting for 1 more signature
   *[other] Waiting for { $count } more signatures
}
desk-cosign-yours = You signed this alert: another organizer must co-sign it.
desk-cosign-endorse = Co-sign this alert
desk-cosign-done = Your co-signature was sent.

## Compose

desk-compose-title = New alert
desk-update-title = Update the alert
desk-templates = Start from a template
desk-category = Category
desk-severity = Severity
desk-status = Kind
desk-status-actual = Real
desk-status-exercise = Drill
desk-areas = Area codes
desk-areas-hint = Area codes separated by commas. Named places:
desk-place = Place, as members read it (optional)
desk-place-hint = Public words only, such as a street corner. Never a home address.
desk-expires = Shown for
desk-expires-30m = 30 minutes
desk-expires-2h = 2 hours
desk-expires-6h = 6 hours
desk-expires-24h = 24 hours
desk-languages = Languages
desk-languages-hint = Language codes separated by commas, such as en, es, ht. Leave a headline empty to leave its language out.
desk-languages-apply = Change languages
desk-headline = Headline
desk-description = What is happening
desk-instruction = What to do
desk-instruction-standard = Standard instruction:
desk-instruction-raid = Do not open the door. Ask to see a warrant signed by a judge through the window. You have the right to remain silent.
desk-instruction-checkpoint = Avoid the area if you can. If you are stopped, you have the right to remain silent. Do not sign anything.
desk-instruction-detention = Call the rapid response hotline. Write down the time, the place and the agency. Do not share names in public.
desk-instruction-patrol = Stay calm and avoid the area. Do not run. Share this alert with your neighbours.
desk-instruction-other = Stay alert and follow your organizers' instructions.
desk-preview = Preview
desk-preview-title = What members will see
desk-sign-title = What you will sign
desk-sign-what = Message
desk-sign-alert = A new alert
desk-sign-update = An update of alert { $id }
desk-sign-key = Signed with your key
desk-sign-confirms = Confirms
desk-sign-confirms-count = { $count ->
    [one] 1 member report
   *[other] { $count } member reports
}
desk-sign-send = Sign and send
desk-sign-changed = The form changed since the preview: check the new preview, then sign again.
desk-template-name = Save this form as a template named
desk-template-save = Save template
desk-template-saved = Template “{ $name }” saved, encrypted on your node.
desk-template-delete = Delete
desk-template-delete-label = Delete the template “{ $name }”
desk-template-deleted = Template “{ $name }” deleted.
desk-template-missing = No template is named “{ $name }”.
desk-error-severity = Choose a severity.
desk-error-expires = Choose how long the alert is shown.
desk-error-headline = The { $language } block has text but no headline: add one.
desk-error-text = Write a headline in at least one language.
desk-sent = Alert signed and sent.

## An alert

desk-alerts-title = Alerts
desk-alerts-shown = Shown to members
desk-alerts-waiting = Waiting for co-signatures
desk-alerts-ended = Ended or not shown
desk-alerts-none = None.
desk-alert-title = Alert
desk-alert-shown = Shown to members.
desk-update = Update
desk-cancel = Cancel
desk-all-clear = All clear
desk-end-reason = A short note for members (optional)
desk-end-cancel-title = Cancel this alert?
desk-end-cancel-what = You will sign a cancel: members see that the alert was withdrawn, in every language it has.
desk-end-cancel-sign = Sign the cancel
desk-end-all_clear-title = Declare all clear?
desk-end-all_clear-what = You will sign an all-clear: members see that the danger is over.
desk-end-all_clear-sign = Sign the all-clear
desk-ended-cancel = Cancel signed and sent.
desk-ended-all_clear = All-clear signed and sent.
desk-counts-more-end = This category needs co-signatures: it takes effect once { $more ->
    [one] 1 more organizer co-signs it
   *[other] { $more } more organizers co-sign it
} in their desk.
desk-cosign-kind-cancel = A cancel of this alert:
desk-cosign-kind-all_clear = An all-clear of this alert:
desk-cosign-kind-update = An update: the new version of the alert.
desk-alert-not-shown = Not shown to members: { $why }
