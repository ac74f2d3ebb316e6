from django.dispatch import Signal

# Sent inside the transaction that completes a course, once the enrolment row is saved, so a
# receiver can write what must be committed with the completion (the certificate it is owed)
# in that same transaction. A receiver that raises rolls the completion back.
# Arguments: user, course, enrolment, completed_at.
course_completion_recorded = Signal()

# Sent after the transaction that completed a course commits (for notifications and
# fast paths: a process can die between that commit and this signal).
# Arguments: user, course, enrolment, completed_at.
course_completed = Signal()

# Sent inside the transaction that copied a course (its modules, lessons and quizzes).
# Arguments: original, copy, user. Apps above courses copy what they keep per course.
course_copied = Signal()
