package domain

// What has happened cannot be recorded as happening later: attendance at a
// session, a completed assessment, a completion, a certificate or a
// catch-up is on or before today. Each is refused with the date it
// concerns and today's, so the person can see what to change.

// NotInFuture refuses on when it is after today. what names the date in
// the sentence ("The date the assessment was completed").
func NotInFuture(field, what string, on, today Date) error {
	if on.After(today) {
		return Refuse(field, "%s cannot be in the future: you entered %s and today is %s", what, on.Long(), today.Long())
	}
	return nil
}

// CheckRegisterDay refuses marks for a session that has not happened yet:
// a register is taken on the session's day or after it.
func CheckRegisterDay(session, today Date) error {
	if session.After(today) {
		return Refuse("marks", "This session is on %s: its register can be taken on that day or after, not before (today is %s)", session.Long(), today.Long())
	}
	return nil
}
