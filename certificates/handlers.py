from .issuance import certificates_owed_record


def on_course_completion_recorded(sender, *, enrolment, **kwargs):
    """Inside the completion's transaction: the certificates it earns are owed from now on."""
    certificates_owed_record(enrolment=enrolment)
