from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.h5p.packaging import build_choice_package
from content.h5p.validation import PackageRejected, inspect_package

TITLE = "Tình huống: người dưới 18 tuổi tại cơ sở kinh doanh"
QUESTION = (
    "<p>Phát hiện người dưới 18 tuổi bán dâm tại cơ sở kinh doanh, Đội kiểm tra liên ngành "
    "cần ưu tiên làm gì?</p>"
)
CHOICES = [
    {
        "text": "Lập biên bản xử phạt hành chính đối với người đó",
        "correct": False,
        "feedback": "Chưa đúng. Người dưới 18 tuổi phải được coi là nạn nhân tiềm năng, "
        "không phải đối tượng xử phạt.",
    },
    {
        "text": "Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra",
        "correct": True,
        "feedback": "Đúng. Bảo vệ người đó trước, rồi chuyển cơ quan điều tra xác minh.",
    },
    {
        "text": "Yêu cầu chủ cơ sở tự giải quyết rồi tiếp tục kiểm tra",
        "correct": False,
        "feedback": "Chưa đúng. Để chủ cơ sở giải quyết có thể đẩy người đó vào nguy hiểm hơn.",
    },
]


class Command(BaseCommand):
    help = "Write a demo .h5p package of H5P.PcmdChoice (in Vietnamese), built offline."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="Where to write the .h5p file.")

    def handle(self, *args, **options):
        output: Path = options["output"]
        data = build_choice_package(title=TITLE, question=QUESTION, choices=CHOICES)
        # The demo must pass the same checks as an upload.
        try:
            report = inspect_package(data, installed_libraries=set())
        except PackageRejected as error:
            raise CommandError("; ".join(str(reason) for reason in error.reasons)) from error
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(
            f"{output}: {report.main_library} {report.main_version}, {report.size} bytes"
        )
