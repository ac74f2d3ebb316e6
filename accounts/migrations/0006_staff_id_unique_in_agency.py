from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_agency_of_existing_accounts")]

    operations = [
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("staff_id", ""), _negated=True),
                fields=("agency", "staff_id"),
                name="accounts_user_staff_id_unique_in_agency",
            ),
        ),
    ]
