from django.db import migrations


def agencies_of_existing_accounts(apps, schema_editor):
    """Record each account's top-level agency; refuse to go on (with the accounts named)
    if two accounts of one agency already share a staff ID, rather than choose between
    them: an administrator corrects the staff IDs, then migrates again."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    roots = {
        path: pk for path, pk in Organisation.objects.filter(depth=1).values_list("path", "pk")
    }
    seen, clashes = {}, []
    members = User.objects.filter(organisation__isnull=False).values_list(
        "pk", "email", "staff_id", "organisation__path"
    )
    for pk, email, staff_id, path in members.order_by("pk"):
        agency = roots[path[:4]]
        User.objects.filter(pk=pk).update(agency_id=agency)
        if staff_id:
            earlier = seen.setdefault((agency, staff_id), email)
            if earlier != email:
                clashes.append(f"{staff_id}: {earlier}, {email}")
    if clashes:
        raise RuntimeError(
            "Staff IDs must be unique within a top-level agency; these accounts share one "
            "(correct them in the admin, then migrate again): " + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_staff_id_per_agency_and_organisation_requests")]

    operations = [migrations.RunPython(agencies_of_existing_accounts, migrations.RunPython.noop)]
