# Answering an alert ("I'm responding") and the desk's responders view.
respond-title = Can you respond?
respond-count = { $count ->
    [0] Nobody is responding yet.
    [one] 1 person is responding.
   *[other] { $count } people are responding.
}
respond-privacy = Your answer is signed with your key. Every node of the community sees that your key answered this alert. Other members see only how many are responding; organizers see the roles and arrival times.
respond-role = Your role
respond-role-legal-observer = Legal observer
respond-role-driver = Driver
respond-role-interpreter = Interpreter
respond-role-accompaniment = Accompaniment
respond-eta = When can you be there?
respond-eta-none = Not sure
respond-eta-minutes = { $minutes ->
    [one] In 1 minute
   *[other] In { $minutes } minutes
}
respond-going = I'm responding
respond-cant = I can't respond
respond-withdraw = Withdraw my answer
respond-locked = Your key is locked: unlock it to answer.
respond-unlock = Unlock your key
respond-sent-going = Thank you. Your answer was sent: the organizers see that you are on the way.
respond-sent-cant = Thank you. Your answer was sent.
respond-sent-withdrawn = Your answer was withdrawn.
respond-failed = Your answer was not sent: { $why }
respond-bad-form = Choose a role, and a time from the list.
respond-not-live = This alert has ended or expired: it takes no more answers.
desk-responses-title = Responders
desk-responses-cant = { $count ->
    [0] Nobody said they can't respond.
    [one] 1 person can't respond.
   *[other] { $count } people can't respond.
}
desk-responses-role = Role
desk-responses-count = Responding
desk-responses-arrivals = Expected
desk-responses-in = { $minutes ->
    [0] now
    [one] in 1 minute
   *[other] in { $minutes } minutes
}
desk-responses-no-eta = no time given
