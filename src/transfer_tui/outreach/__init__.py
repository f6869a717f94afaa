"""What reaches people outside the app: the customer intro (an e-mail draft and a meeting
invite) and the reminders (a digest of what is due, a calendar of it, a chat webhook).

Pure modules: each builds bytes or text from plain data handed in (a handoff
snapshot, the config, a list of due items) and never opens the database, so the
commands and the screens decide where the data comes from. The e-mail is built
with the standard ``email`` package and the invites with ``icalendar``, never by
pasting strings into headers; templates run in Jinja2's sandbox.
"""
