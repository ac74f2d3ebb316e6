"""Demo question bank for the foundation course (Vietnamese).

Pure data, no imports: a loader turns it into question-bank snippets and the final quiz.

Built from /work/shared/DOMAIN.md (fact sheet and sample questions) and the demo curriculum
in courses/demo_content.py, whose LEGAL_PROVISIONS keys the "provision" fields cite. Rules the
content follows:

- Synthetic, anonymised cases only (invented initials and places such as "cơ sở massage Y").
- Victim-centred, non-stigmatising language ("người bán dâm", "nạn nhân").
- Numbers are asked only where DOMAIN.md rates the source High or Medium-high; elsewhere the
  question asks for the principle. Every explanation names its source in words.
- The final quiz fixes questions taught in the foundation course and draws the rest from
  categories; the PEACE ordering question belongs to the investigators' course and is
  deliberately kept out of the categories the final quiz draws from.

Question kinds and "spec" shapes:

- single_choice: {"choices": [{"id", "text", "correct"}, ...]}, exactly one correct.
- multiple_response: as single_choice, one or more correct, plus "partial_credit"
  ("all_or_nothing", "right_minus_wrong" or "proportional").
- true_false: {"correct": bool}; the stem is the statement.
- short_answer: {"accepted": [...], "diacritics_optional": bool}.
- matching: {"pairs": [{"id", "left", "right"}, ...], "partial_credit": bool}.
- ordering: {"items": [{"id", "text"}, ...] in the correct order, "partial_credit": bool}.
- scenario: {"vignette": html, "parts": [{"id", "kind", "prompt", "spec", "points"}, ...]};
  the question's "points" equal the sum of its parts' points.
"""

CATEGORIES = [
    {"key": "legal_framework", "name": "Khung pháp lý"},
    {"key": "prostitution_vs_trafficking", "name": "Phân biệt mại dâm và mua bán người"},
    {"key": "victim_protection", "name": "Bảo vệ nạn nhân"},
    {"key": "juvenile_procedure", "name": "Tố tụng với người dưới 18 tuổi"},
    {"key": "national_programmes", "name": "Chương trình quốc gia phòng, chống mại dâm"},
    {"key": "inspection_coordination", "name": "Kiểm tra liên ngành và phối hợp"},
]

QUESTIONS = [
    {
        "key": "q_ordinance_mua_dam",
        "category": "legal_framework",
        "kind": "single_choice",
        "stem": "<p>Theo Pháp lệnh Phòng, chống mại dâm năm 2003, “mua dâm” là hành vi nào?</p>",
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Hành vi dụ dỗ hoặc dẫn dắt của người làm trung gian để các bên thực hiện "
                        "việc mua dâm, bán dâm"
                    ),
                    "correct": False,
                },
                {
                    "id": "b",
                    "text": (
                        "Hành vi của người dùng tiền hoặc lợi ích vật chất khác trả cho người bán "
                        "dâm để được giao cấu"
                    ),
                    "correct": True,
                },
                {
                    "id": "c",
                    "text": (
                        "Hành vi sử dụng, cho thuê, cho mượn địa điểm, phương tiện để hoạt động "
                        "mại dâm"
                    ),
                    "correct": False,
                },
            ],
        },
        "explanation": (
            "<p>Điều 3 Pháp lệnh Phòng, chống mại dâm số 10/2003/PL-UBTVQH11 định nghĩa mua dâm là "
            "hành vi của người dùng tiền hoặc lợi ích vật chất khác trả cho người bán dâm để được "
            "giao cấu. Hai phương án còn lại mô tả hành vi của người môi giới và người chứa mại "
            "dâm, không phải của người mua dâm.</p>"
        ),
        "provision": "ordinance_2003_art3",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_art329_offender_age",
        "category": "legal_framework",
        "kind": "short_answer",
        "stem": (
            "<p>Người phạm tội mua dâm người dưới 18 tuổi (Điều 329 Bộ luật Hình sự) phải từ đủ "
            "bao nhiêu tuổi trở lên? <i>(Trả lời bằng một con số.)</i></p>"
        ),
        "points": 1,
        "spec": {
            "accepted": [
                "18",
                "18 tuổi",
                "đủ 18 tuổi",
                "đủ 18 tuổi trở lên",
                "mười tám",
                "mười tám tuổi",
            ],
            "diacritics_optional": True,
        },
        "explanation": (
            "<p>Theo khoản 1 Điều 329 Bộ luật Hình sự (Công báo số 779-780/2017), chủ thể của tội "
            "mua dâm người dưới 18 tuổi là người từ đủ 18 tuổi trở lên.</p>"
        ),
        "provision": "penal_code_art329",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_penal_code_offence_articles",
        "category": "legal_framework",
        "kind": "matching",
        "stem": (
            "<p>Nối mỗi tội danh với điều luật quy định tội danh đó trong Bộ luật Hình sự năm 2015 "
            "(sửa đổi, bổ sung năm 2017).</p>"
        ),
        "points": 2,
        "spec": {
            "pairs": [
                {"id": "p1", "left": "Tội chứa mại dâm", "right": "Điều 327"},
                {"id": "p2", "left": "Tội môi giới mại dâm", "right": "Điều 328"},
                {"id": "p3", "left": "Tội mua dâm người dưới 18 tuổi", "right": "Điều 329"},
                {"id": "p4", "left": "Tội mua bán người dưới 16 tuổi", "right": "Điều 151"},
            ],
            "partial_credit": True,
        },
        "explanation": (
            "<p>Bộ luật Hình sự số 100/2015/QH13 (sửa đổi, bổ sung bởi Luật số 12/2017/QH14) quy "
            "định tội chứa mại dâm tại Điều 327, tội môi giới mại dâm tại Điều 328, tội mua dâm "
            "người dưới 18 tuổi tại Điều 329 và tội mua bán người dưới 16 tuổi tại Điều 151. Bộ "
            "luật còn được sửa đổi sau đó, nên khi áp dụng vào hồ sơ cụ thể cần đối chiếu văn bản "
            "hợp nhất hiện hành.</p>"
        ),
        "provision": "penal_code_2015",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
        ],
    },
    {
        "key": "q_instruments_matching",
        "category": "legal_framework",
        "kind": "matching",
        "stem": "<p>Nối mỗi văn bản với nội dung chính của văn bản đó.</p>",
        "points": 2,
        "spec": {
            "pairs": [
                {
                    "id": "p1",
                    "left": "Pháp lệnh số 10/2003/PL-UBTVQH11",
                    "right": "Giải thích các khái niệm cơ bản như mua dâm, bán dâm",
                },
                {
                    "id": "p2",
                    "left": "Nghị định số 178/2004/NĐ-CP và Thông tư số 05/2006/TT-BLĐTBXH",
                    "right": "Cơ sở pháp lý của Đội kiểm tra liên ngành về phòng, chống mại dâm",
                },
                {
                    "id": "p3",
                    "left": "Nghị định số 282/2025/NĐ-CP",
                    "right": "Xử phạt vi phạm hành chính, thay thế Nghị định số 144/2021/NĐ-CP",
                },
                {
                    "id": "p4",
                    "left": "Luật số 53/2024/QH15",
                    "right": (
                        "Phòng, chống mua bán người theo cách tiếp cận lấy nạn nhân làm trung tâm"
                    ),
                },
                {
                    "id": "p5",
                    "left": "Luật số 59/2024/QH15",
                    "right": "Bảo đảm riêng khi lấy lời khai người dưới 18 tuổi là bị hại",
                },
            ],
            "partial_credit": True,
        },
        "explanation": (
            "<p>Pháp lệnh số 10/2003/PL-UBTVQH11 giải thích các khái niệm tại Điều 3; Nghị định số "
            "178/2004/NĐ-CP và Thông tư số 05/2006/TT-BLĐTBXH là cơ sở thành lập Đội kiểm tra liên "
            "ngành; Nghị định số 282/2025/NĐ-CP thay thế Nghị định số 144/2021/NĐ-CP về xử phạt vi "
            "phạm hành chính; Luật Phòng, chống mua bán người số 53/2024/QH15 khẳng định cách tiếp "
            "cận lấy nạn nhân làm trung tâm; Luật Tư pháp người chưa thành niên số 59/2024/QH15 "
            "(Điều 156) quy định các bảo đảm khi lấy lời khai bị hại dưới 18 tuổi.</p>"
        ),
        "provision": None,
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_instruments_timeline",
        "category": "legal_framework",
        "kind": "ordering",
        "stem": (
            "<p>Sắp xếp các văn bản sau theo thứ tự thời điểm <b>có hiệu lực</b>, từ sớm nhất đến "
            "muộn nhất.</p>"
        ),
        "points": 2,
        "spec": {
            "items": [
                {"id": "i1", "text": "Pháp lệnh Phòng, chống mại dâm số 10/2003/PL-UBTVQH11"},
                {"id": "i2", "text": "Luật Phòng, chống mua bán người số 66/2011/QH12"},
                {"id": "i3", "text": "Nghị định số 144/2021/NĐ-CP về xử phạt vi phạm hành chính"},
                {"id": "i4", "text": "Luật Phòng, chống mua bán người số 53/2024/QH15"},
                {"id": "i5", "text": "Nghị định số 282/2025/NĐ-CP về xử phạt vi phạm hành chính"},
                {"id": "i6", "text": "Luật Tư pháp người chưa thành niên số 59/2024/QH15"},
            ],
            "partial_credit": True,
        },
        "explanation": (
            "<p>Thứ tự có hiệu lực: Pháp lệnh số 10/2003/PL-UBTVQH11 (01/7/2003); Luật số "
            "66/2011/QH12 (01/01/2012); Nghị định số 144/2021/NĐ-CP (01/01/2022); Luật số "
            "53/2024/QH15 (01/7/2025, thay thế Luật năm 2011); Nghị định số 282/2025/NĐ-CP "
            "(15/12/2025, thay thế Nghị định số 144/2021/NĐ-CP); Luật số 59/2024/QH15 "
            "(01/01/2026). Lưu ý: Luật số 59/2024/QH15 được ban hành trước nhưng có hiệu lực sau "
            "Nghị định số 282/2025/NĐ-CP.</p>"
        ),
        "provision": None,
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_decree_282_buying_sex_fine",
        "category": "legal_framework",
        "kind": "single_choice",
        "stem": (
            "<p>Theo Điều 32 Nghị định số 282/2025/NĐ-CP, hành vi mua dâm (không thuộc các trường "
            "hợp nghiêm trọng hơn quy định tại điều này) bị phạt tiền ở mức nào?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "Từ 200.000 đồng đến 500.000 đồng", "correct": False},
                {"id": "b", "text": "Từ 10 triệu đồng đến 50 triệu đồng", "correct": False},
                {"id": "c", "text": "Từ 1 triệu đồng đến 2 triệu đồng", "correct": True},
            ],
        },
        "explanation": (
            "<p>Điều 32 Nghị định số 282/2025/NĐ-CP (có hiệu lực từ 15/12/2025, thay thế Nghị định "
            "số 144/2021/NĐ-CP) quy định phạt tiền từ 1 triệu đồng đến 2 triệu đồng đối với hành "
            "vi mua dâm; các trường hợp nghiêm trọng hơn bị phạt từ 2 triệu đồng đến 5 triệu đồng. "
            "Mức 10-50 triệu đồng là hình phạt tiền có thể áp dụng đối với người phạm tội môi giới "
            "mại dâm (Điều 328 Bộ luật Hình sự), không phải mức phạt hành chính.</p>"
        ),
        "provision": "decree_282_2025",
        "job_roles": ["inspection_team_member"],
    },
    {
        "key": "q_art329_basic_penalty",
        "category": "legal_framework",
        "kind": "single_choice",
        "stem": (
            "<p>Khung hình phạt cơ bản (khoản 1) của tội mua dâm người dưới 18 tuổi theo Điều 329 "
            "Bộ luật Hình sự là gì?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "Phạt tù từ 06 tháng đến 03 năm", "correct": False},
                {"id": "b", "text": "Phạt tù từ 01 năm đến 05 năm", "correct": True},
                {"id": "c", "text": "Phạt tù từ 07 năm đến 12 năm", "correct": False},
            ],
        },
        "explanation": (
            "<p>Khoản 1 Điều 329 Bộ luật Hình sự quy định phạt tù từ 01 năm đến 05 năm; các khung "
            "tăng nặng là từ 03 năm đến 07 năm (trong đó có trường hợp mua dâm người từ đủ 13 tuổi "
            "đến dưới 16 tuổi) và từ 07 năm đến 15 năm (Công báo số 779-780/2017). Mức 06 tháng "
            "đến 03 năm là khung cơ bản của tội môi giới mại dâm (Điều 328), còn 07 năm đến 12 năm "
            "là khung cơ bản của tội mua bán người dưới 16 tuổi (Điều 151).</p>"
        ),
        "provision": "penal_code_art329",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_minor_found_at_venue",
        "category": "prostitution_vs_trafficking",
        "kind": "single_choice",
        "stem": (
            "<p>Khi kiểm tra một cơ sở kinh doanh dịch vụ, Đội kiểm tra liên ngành phát hiện một "
            "người dưới 18 tuổi trong hoạt động mua bán dâm. Cách xử lý nào cần được ưu tiên?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Lập biên bản và xử phạt vi phạm hành chính người đó về hành vi bán dâm"
                    ),
                    "correct": False,
                },
                {
                    "id": "b",
                    "text": (
                        "Coi người đó là nạn nhân tiềm năng: bảo đảm an toàn, tách khỏi người quản "
                        "lý cơ sở và chuyển vụ việc cho cơ quan điều tra"
                    ),
                    "correct": True,
                },
                {
                    "id": "c",
                    "text": (
                        "Nhắc nhở rồi để người đó tiếp tục làm việc vì không thấy dấu hiệu bị ép "
                        "buộc"
                    ),
                    "correct": False,
                },
            ],
        },
        "explanation": (
            "<p>Người dưới 18 tuổi trong hoạt động mại dâm phải được tiếp cận như nạn nhân tiềm "
            "năng, không phải đối tượng xử phạt: người từ đủ 18 tuổi trở lên mua dâm người dưới 18 "
            "tuổi có thể bị truy cứu trách nhiệm hình sự (Điều 329 Bộ luật Hình sự), và với trẻ em "
            "không cần chứng minh thủ đoạn ép buộc hay lừa gạt để xác định là bị mua bán (Điều 3 "
            "Nghị định thư Palermo; Luật Phòng, chống mua bán người số 53/2024/QH15).</p>"
        ),
        "provision": "penal_code_art329",
        "job_roles": ["inspection_team_member", "investigator", "social_work"],
    },
    {
        "key": "q_art151_no_means",
        "category": "prostitution_vs_trafficking",
        "kind": "single_choice",
        "stem": (
            "<p>Để xác định tội mua bán người dưới 16 tuổi (Điều 151 Bộ luật Hình sự), có phải "
            "chứng minh người phạm tội đã dùng vũ lực, đe dọa hay lừa gạt không?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "Có, phải chứng minh được thủ đoạn lừa gạt", "correct": False},
                {
                    "id": "b",
                    "text": "Chỉ phải chứng minh khi nạn nhân bị đưa qua biên giới",
                    "correct": False,
                },
                {
                    "id": "c",
                    "text": (
                        "Không, tội này không đòi hỏi chứng minh thủ đoạn vũ lực, đe dọa hay lừa "
                        "gạt"
                    ),
                    "correct": True,
                },
            ],
        },
        "explanation": (
            "<p>Điều 151 Bộ luật Hình sự không đòi hỏi yếu tố thủ đoạn vũ lực, đe dọa hay lừa gạt, "
            "và không giới hạn ở trường hợp đưa nạn nhân qua biên giới. Điều này phù hợp với Điều "
            "3 Nghị định thư Palermo: đối với trẻ em, không cần chứng minh thủ đoạn.</p>"
        ),
        "provision": "penal_code_art151",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_consent_after_deception",
        "category": "prostitution_vs_trafficking",
        "kind": "true_false",
        "stem": (
            "<p>Nếu nạn nhân đã “đồng ý” tham gia hoạt động mại dâm sau khi bị lừa gạt, sự đồng ý "
            "đó loại trừ trách nhiệm của người mua bán người.</p>"
        ),
        "points": 1,
        "spec": {"correct": False},
        "explanation": (
            "<p>Sai. Theo Điều 3(b) Nghị định thư Palermo, khi người phạm tội đã dùng thủ đoạn như "
            "vũ lực, đe dọa hoặc lừa gạt, sự đồng ý của nạn nhân đối với việc bị bóc lột không có "
            "giá trị, nên không thể dùng để loại trừ hay giảm nhẹ trách nhiệm của người phạm "
            "tội.</p>"
        ),
        "provision": "palermo_protocol_art3",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_law_53_features",
        "category": "prostitution_vs_trafficking",
        "kind": "multiple_response",
        "stem": (
            "<p>Những nội dung nào sau đây được quy định trong Luật Phòng, chống mua bán người số "
            "53/2024/QH15? <i>Chọn tất cả phương án đúng.</i></p>"
        ),
        "points": 2,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Người dưới 18 tuổi được coi là bị mua bán mà không cần có yếu tố vũ lực "
                        "hay lừa gạt"
                    ),
                    "correct": True,
                },
                {"id": "b", "text": "Luật có hiệu lực từ ngày 01/01/2012", "correct": False},
                {"id": "c", "text": "Nghiêm cấm kỳ thị nạn nhân", "correct": True},
                {
                    "id": "d",
                    "text": (
                        "Cho phép công bố hình ảnh nạn nhân để tuyên truyền mà không cần sự đồng ý "
                        "của họ"
                    ),
                    "correct": False,
                },
                {
                    "id": "e",
                    "text": "Hành vi là hệ quả trực tiếp của việc bị mua bán có thể không bị xử lý",
                    "correct": True,
                },
            ],
            "partial_credit": "proportional",
        },
        "explanation": (
            "<p>Luật số 53/2024/QH15 (có hiệu lực từ 01/7/2025, thay thế Luật số 66/2011/QH12 có "
            "hiệu lực từ 01/01/2012) lấy nạn nhân làm trung tâm: người dưới 18 tuổi được coi là bị "
            "mua bán mà không cần yếu tố vũ lực hay lừa gạt; nghiêm cấm kỳ thị nạn nhân và tiết lộ "
            "thông tin về nạn nhân khi chưa có sự đồng ý; hành vi là hệ quả trực tiếp của việc bị "
            "mua bán có thể không bị xử lý.</p>"
        ),
        "provision": "law_53_2024",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_scenario_massage_y",
        "category": "prostitution_vs_trafficking",
        "kind": "scenario",
        "stem": (
            "<p><b>Tình huống: kiểm tra đột xuất tại cơ sở massage Y.</b> Đọc tình huống và trả "
            "lời các câu hỏi.</p>"
        ),
        "points": 4,
        "spec": {
            "vignette": (
                "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                "đổi.</i></p><p>Trong một lần kiểm tra đột xuất tại cơ sở massage Y (có giấy phép "
                "kinh doanh dịch vụ xoa bóp còn hiệu lực), Đội kiểm tra liên ngành phát hiện em L. "
                "(16 tuổi) ở trong phòng riêng cùng ông Q. (35 tuổi) với dấu hiệu mua bán dâm. Em "
                "L. không có giấy tờ tùy thân. Em cho biết một người quen hứa giới thiệu em làm lễ "
                "tân; khi đến nơi, quản lý cơ sở giữ điện thoại của em và nói em còn “nợ” tiền xe, "
                "tiền ăn ở. Khi được hỏi, em L. nói mình “tự nguyện” làm việc tại đây, trong khi "
                "quản lý cơ sở liên tục tìm cách trả lời thay em.</p>"
            ),
            "parts": [
                {
                    "id": "s1",
                    "kind": "true_false",
                    "prompt": (
                        "Vì em L. nói mình “tự nguyện”, Đội kiểm tra chỉ cần lập biên bản xử phạt "
                        "vi phạm hành chính đối với em về hành vi bán dâm."
                    ),
                    "spec": {"correct": False},
                    "points": 1,
                },
                {
                    "id": "s2",
                    "kind": "multiple_response",
                    "prompt": (
                        "Những chi tiết nào trong tình huống là dấu hiệu cần tiếp tục xác minh về "
                        "khả năng em L. bị mua bán? Chọn tất cả phương án đúng."
                    ),
                    "spec": {
                        "choices": [
                            {
                                "id": "a",
                                "text": "Em L. bị quản lý cơ sở giữ điện thoại",
                                "correct": True,
                            },
                            {
                                "id": "b",
                                "text": "Em L. bị buộc trả “nợ” tiền xe, tiền ăn ở",
                                "correct": True,
                            },
                            {
                                "id": "c",
                                "text": "Cơ sở massage Y có giấy phép kinh doanh còn hiệu lực",
                                "correct": False,
                            },
                            {
                                "id": "d",
                                "text": "Em L. được hứa hẹn một công việc khác trước khi đến cơ sở",
                                "correct": True,
                            },
                            {
                                "id": "e",
                                "text": "Quản lý cơ sở liên tục trả lời thay em L.",
                                "correct": True,
                            },
                        ],
                        "partial_credit": "right_minus_wrong",
                    },
                    "points": 2,
                },
                {
                    "id": "s3",
                    "kind": "single_choice",
                    "prompt": (
                        "Nếu xác minh được em L. dưới 18 tuổi, hành vi của ông Q. (35 tuổi) cần "
                        "được xem xét theo quy định nào?"
                    ),
                    "spec": {
                        "choices": [
                            {
                                "id": "a",
                                "text": (
                                    "Chỉ xử phạt vi phạm hành chính về hành vi mua dâm theo Nghị "
                                    "định số 282/2025/NĐ-CP"
                                ),
                                "correct": False,
                            },
                            {
                                "id": "b",
                                "text": "Tội mua dâm người dưới 18 tuổi (Điều 329 Bộ luật Hình sự)",
                                "correct": True,
                            },
                            {
                                "id": "c",
                                "text": "Không vi phạm, vì em L. nói mình tự nguyện",
                                "correct": False,
                            },
                        ],
                    },
                    "points": 1,
                },
            ],
        },
        "explanation": (
            "<ul><li>Câu 1 – Sai: em L. dưới 18 tuổi nên phải được coi là nạn nhân tiềm năng; "
            "người dưới 18 tuổi được coi là bị mua bán mà không cần yếu tố vũ lực hay lừa gạt, nên "
            "lời nói “tự nguyện” không thay đổi điều đó (Luật Phòng, chống mua bán người số "
            "53/2024/QH15; Điều 3 Nghị định thư Palermo).</li><li>Câu 2: bị giữ điện thoại, bị "
            "buộc trả “nợ”, được hứa hẹn công việc khác và có người trả lời thay là các dấu hiệu "
            "cần xác minh; việc cơ sở có giấy phép kinh doanh không loại trừ khả năng mua bán "
            "người.</li><li>Câu 3: người từ đủ 18 tuổi trở lên mua dâm người dưới 18 tuổi có thể "
            "bị truy cứu trách nhiệm hình sự (Điều 329 Bộ luật Hình sự), không chỉ bị xử phạt hành "
            "chính.</li></ul>"
        ),
        "provision": "law_53_2024",
        "job_roles": ["inspection_team_member", "investigator", "prosecutor", "social_work"],
    },
    {
        "key": "q_who_first_principle",
        "category": "victim_protection",
        "kind": "short_answer",
        "stem": (
            "<p>Theo Khuyến nghị về đạo đức và an toàn khi phỏng vấn phụ nữ bị mua bán của Tổ chức "
            "Y tế Thế giới (WHO, 2003), nguyên tắc <b>đầu tiên</b> trong mười nguyên tắc là gì? "
            "<i>(Trả lời ngắn, 2-4 từ.)</i></p>"
        ),
        "points": 1,
        "spec": {
            "accepted": ["Không gây hại", "Không gây tổn hại", "Không làm hại", "Do no harm"],
            "diacritics_optional": True,
        },
        "explanation": (
            "<p>Nguyên tắc đầu tiên là “Không gây hại” (Do no harm): coi mỗi cuộc tiếp xúc đều có "
            "thể gây nguy hiểm cho nạn nhân và không tiến hành phỏng vấn nếu việc đó có thể làm "
            "tình trạng của họ xấu đi (WHO, Khuyến nghị về đạo đức và an toàn khi phỏng vấn phụ nữ "
            "bị mua bán, 2003).</p>"
        ),
        "provision": None,
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_disclose_victim_info",
        "category": "victim_protection",
        "kind": "single_choice",
        "stem": (
            "<p>Theo Luật Phòng, chống mua bán người năm 2024, việc tiết lộ thông tin về nạn nhân "
            "khi chưa có sự đồng ý của họ được quy định như thế nào?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": "Bị nghiêm cấm, trừ trường hợp luật có quy định khác",
                    "correct": True,
                },
                {
                    "id": "b",
                    "text": "Được phép nếu thông tin dùng để tuyên truyền, phòng ngừa",
                    "correct": False,
                },
                {"id": "c", "text": "Do thủ trưởng từng cơ quan tự quyết định", "correct": False},
            ],
        },
        "explanation": (
            "<p>Luật Phòng, chống mua bán người số 53/2024/QH15 nghiêm cấm kỳ thị nạn nhân và tiết "
            "lộ thông tin về nạn nhân khi chưa có sự đồng ý của họ, trừ trường hợp luật có quy "
            "định khác. Mục đích tuyên truyền hay quyết định của một cơ quan không phải là ngoại "
            "lệ.</p>"
        ),
        "provision": "law_53_2024",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_who_principles",
        "category": "victim_protection",
        "kind": "multiple_response",
        "stem": (
            "<p>Những nguyên tắc nào thuộc Khuyến nghị về đạo đức và an toàn khi phỏng vấn phụ nữ "
            "bị mua bán của WHO (2003)? <i>Chọn tất cả phương án đúng.</i></p>"
        ),
        "points": 2,
        "spec": {
            "choices": [
                {"id": "a", "text": "Không gây hại", "correct": True},
                {
                    "id": "b",
                    "text": (
                        "Thu thập tối đa chứng cứ ngay trong buổi đầu tiên, kể cả khi nạn nhân mệt "
                        "mỏi"
                    ),
                    "correct": False,
                },
                {
                    "id": "c",
                    "text": "Bảo đảm sự đồng ý trên cơ sở được thông tin đầy đủ",
                    "correct": True,
                },
                {"id": "d", "text": "Giữ bí mật thông tin", "correct": True},
                {
                    "id": "e",
                    "text": (
                        "Cho nạn nhân đối chất ngay với người bị tình nghi để kiểm tra lời khai"
                    ),
                    "correct": False,
                },
            ],
            "partial_credit": "right_minus_wrong",
        },
        "explanation": (
            "<p>Mười nguyên tắc của WHO (2003) bắt đầu bằng “Không gây hại”, tiếp theo là các "
            "nguyên tắc như bảo đảm sự đồng ý trên cơ sở được thông tin đầy đủ và giữ bí mật thông "
            "tin. Ép nạn nhân khai tối đa trong một buổi hay đối chất ngay đều trái với nguyên tắc "
            "không gây hại (WHO, Khuyến nghị về đạo đức và an toàn khi phỏng vấn phụ nữ bị mua "
            "bán, 2003).</p>"
        ),
        "provision": None,
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_non_stigmatising_terms",
        "category": "victim_protection",
        "kind": "single_choice",
        "stem": (
            "<p>Khi lập biên bản về một em 15 tuổi được phát hiện trong hoạt động mua bán dâm, "
            "cách gọi nào phù hợp với cách tiếp cận lấy nạn nhân làm trung tâm?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "“Đối tượng bán dâm”", "correct": False},
                {"id": "b", "text": "“Người tự nguyện hành nghề mại dâm”", "correct": False},
                {
                    "id": "c",
                    "text": "“Người dưới 18 tuổi bị mua dâm” hoặc “nạn nhân”",
                    "correct": True,
                },
            ],
        },
        "explanation": (
            "<p>Luật Phòng, chống mua bán người số 53/2024/QH15 nghiêm cấm kỳ thị nạn nhân. Với "
            "người dưới 18 tuổi, cần dùng thuật ngữ trung tính như “người dưới 18 tuổi bị mua dâm” "
            "hoặc “nạn nhân”, tránh cách gọi coi em là đối tượng vi phạm hoặc ngụ ý em tự nguyện "
            "(bài “Tiếp cận lấy nạn nhân làm trung tâm”, khóa học Nền tảng chung).</p>"
        ),
        "provision": "law_53_2024",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_peace_model_order",
        "category": "victim_protection",
        "kind": "ordering",
        "stem": (
            "<p>Sắp xếp các giai đoạn của mô hình phỏng vấn PEACE (UNODC, 2009) theo đúng trình "
            "tự.</p>"
        ),
        "points": 2,
        "spec": {
            "items": [
                {"id": "i1", "text": "Lập kế hoạch và chuẩn bị (Plan and prepare)"},
                {"id": "i2", "text": "Tiếp cận và giải thích (Engage and explain)"},
                {"id": "i3", "text": "Nghe lời kể (Account)"},
                {"id": "i4", "text": "Kết thúc (Closure)"},
                {"id": "i5", "text": "Đánh giá (Evaluate)"},
            ],
            "partial_credit": True,
        },
        "explanation": (
            "<p>Theo Học phần 8 của Cẩm nang phòng, chống buôn bán người dành cho người làm công "
            "tác tư pháp hình sự (UNODC, 2009), mô hình PEACE gồm năm giai đoạn: lập kế hoạch và "
            "chuẩn bị, tiếp cận và giải thích, nghe lời kể, kết thúc, đánh giá. Tên mô hình ghép "
            "từ chữ cái đầu của năm giai đoạn trong tiếng Anh.</p>"
        ),
        "provision": None,
        "job_roles": ["investigator", "prosecutor", "social_work"],
    },
    {
        "key": "q_scenario_karaoke_debt",
        "category": "victim_protection",
        "kind": "scenario",
        "stem": (
            "<p><b>Tình huống: chị N. tại cơ sở karaoke V.</b> Đọc tình huống và trả lời các câu "
            "hỏi.</p>"
        ),
        "points": 3,
        "spec": {
            "vignette": (
                "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                "đổi.</i></p><p>Chị N. (22 tuổi) được một người quen hứa giới thiệu việc làm phục "
                "vụ nhà hàng ở tỉnh khác. Khi đến nơi, chị bị đưa tới cơ sở karaoke V., bị giữ căn "
                "cước và bị buộc “tiếp khách” để trả khoản “nợ” tiền xe, tiền ăn ở; người quản lý "
                "dọa sẽ gửi ảnh của chị cho gia đình nếu chị bỏ đi. Sau khi cơ quan chức năng giải "
                "cứu, chị N. hỏi cán bộ liệu chị có bị xử phạt vì đã bán dâm hay không.</p>"
            ),
            "parts": [
                {
                    "id": "s1",
                    "kind": "true_false",
                    "prompt": (
                        "Vì chị N. đã trên 18 tuổi, để xác định chị là nạn nhân mua bán người cần "
                        "làm rõ các thủ đoạn như vũ lực, đe dọa hoặc lừa gạt mà người phạm tội đã "
                        "sử dụng."
                    ),
                    "spec": {"correct": True},
                    "points": 1,
                },
                {
                    "id": "s2",
                    "kind": "single_choice",
                    "prompt": (
                        "Việc chị N. tham gia hoạt động mại dâm là hệ quả trực tiếp của việc bị "
                        "lừa gạt, đe dọa. Cách xử lý nào phù hợp?"
                    ),
                    "spec": {
                        "choices": [
                            {
                                "id": "a",
                                "text": (
                                    "Xử phạt vi phạm hành chính về hành vi bán dâm như mọi trường "
                                    "hợp khác"
                                ),
                                "correct": False,
                            },
                            {
                                "id": "b",
                                "text": (
                                    "Xử phạt ở mức thấp hơn vì chị N. đã hợp tác với cơ quan chức "
                                    "năng"
                                ),
                                "correct": False,
                            },
                            {
                                "id": "c",
                                "text": (
                                    "Không xử lý chị N. về hành vi là hệ quả trực tiếp của việc bị "
                                    "mua bán; bảo vệ và hỗ trợ chị như một nạn nhân"
                                ),
                                "correct": True,
                            },
                        ],
                    },
                    "points": 1,
                },
                {
                    "id": "s3",
                    "kind": "short_answer",
                    "prompt": (
                        "Nguyên tắc theo đó nạn nhân không bị xử lý về những hành vi là hệ quả "
                        "trực tiếp của việc bị mua bán được gọi là nguyên tắc gì? (2-4 từ)"
                    ),
                    "spec": {
                        "accepted": [
                            "không trừng phạt",
                            "nguyên tắc không trừng phạt",
                            "không trừng phạt nạn nhân",
                            "không xử phạt nạn nhân",
                            "non-punishment",
                        ],
                        "diacritics_optional": True,
                    },
                    "points": 1,
                },
            ],
        },
        "explanation": (
            "<ul><li>Câu 1 – Đúng: với người từ đủ 18 tuổi, mua bán người được xác định qua hành "
            "vi, thủ đoạn (vũ lực, đe dọa, lừa gạt…) và mục đích bóc lột; khi đã có thủ đoạn, sự "
            "“đồng ý” của nạn nhân không có giá trị (Điều 3 Nghị định thư Palermo). Theo Nghị định "
            "thư Palermo và Luật Phòng, chống mua bán người số 53/2024/QH15, chỉ với người dưới 18 "
            "tuổi mới không cần thủ đoạn để xác định là bị mua bán.</li><li>Câu 2 và 3: theo "
            "nguyên tắc không trừng phạt, hành vi là hệ quả trực tiếp của việc bị mua bán có thể "
            "không bị xử lý (Luật Phòng, chống mua bán người số 53/2024/QH15; UNODC, Bộ công cụ "
            "phòng, chống buôn bán người, chương 6); xử phạt nhẹ hơn vẫn là trừng phạt nạn "
            "nhân.</li></ul>"
        ),
        "provision": "law_53_2024",
        "job_roles": ["inspection_team_member", "investigator", "prosecutor", "social_work"],
    },
    {
        "key": "q_child_interview_limits",
        "category": "juvenile_procedure",
        "kind": "single_choice",
        "stem": (
            "<p>Theo Luật Tư pháp người chưa thành niên năm 2024, việc lấy lời khai người dưới 18 "
            "tuổi là bị hại bị giới hạn như thế nào?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": "Không quá 4 lần trong một ngày, mỗi lần không quá 1 giờ",
                    "correct": False,
                },
                {
                    "id": "b",
                    "text": "Không quá 2 lần trong một ngày, mỗi lần không quá 2 giờ",
                    "correct": True,
                },
                {
                    "id": "c",
                    "text": "Không giới hạn số lần nếu có người đại diện hợp pháp tham dự",
                    "correct": False,
                },
            ],
        },
        "explanation": (
            "<p>Điều 156 Luật Tư pháp người chưa thành niên số 59/2024/QH15 (có hiệu lực từ "
            "01/01/2026) yêu cầu hạn chế tối đa số lần lấy lời khai bị hại dưới 18 tuổi: không quá "
            "2 lần trong một ngày, mỗi lần không quá 2 giờ. Giới hạn này áp dụng cả khi có người "
            "đại diện tham dự.</p>"
        ),
        "provision": "law_59_2024_art156",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror", "social_work"],
    },
    {
        "key": "q_closed_trial_minor_victim",
        "category": "juvenile_procedure",
        "kind": "single_choice",
        "stem": (
            "<p>Vụ án có bị hại dưới 18 tuổi bị mua bán được đưa ra xét xử. Hình thức xét xử nào "
            "là đúng?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": "Xét xử công khai để răn đe, phòng ngừa chung",
                    "correct": False,
                },
                {"id": "b", "text": "Xét xử lưu động tại nơi cư trú của bị hại", "correct": False},
                {"id": "c", "text": "Xét xử kín, tuyên án công khai", "correct": True},
            ],
        },
        "explanation": (
            "<p>Theo Nghị quyết số 06/2019/NQ-HĐTP và các văn bản hướng dẫn liên quan (Thông tư số "
            "02/2018/TT-TANDTC; Thông tư liên tịch số 06/2018), vụ án có bị hại dưới 18 tuổi bị "
            "xâm hại tình dục hoặc bị mua bán được xét xử kín, tuyên án công khai, tại phòng xử án "
            "thân thiện. Xét xử công khai hay lưu động tại nơi cư trú đều làm tăng nguy cơ lộ danh "
            "tính bị hại.</p>"
        ),
        "provision": "juvenile_trial_guidance_2019",
        "job_roles": ["prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_under16_prostitution_sexual_abuse",
        "category": "juvenile_procedure",
        "kind": "true_false",
        "stem": (
            "<p>Theo hướng dẫn áp dụng pháp luật trong xét xử vụ án xâm hại tình dục người dưới 18 "
            "tuổi, hành vi sử dụng người dưới 16 tuổi vào mục đích mại dâm được coi là xâm hại "
            "tình dục.</p>"
        ),
        "points": 1,
        "spec": {"correct": True},
        "explanation": (
            "<p>Đúng. Theo các văn bản hướng dẫn (Nghị quyết số 06/2019/NQ-HĐTP; Thông tư số "
            "02/2018/TT-TANDTC; Thông tư liên tịch số 06/2018), sử dụng người dưới 16 tuổi vào mục "
            "đích mại dâm được coi là xâm hại tình dục; vì vậy các bảo đảm tố tụng dành cho bị hại "
            "bị xâm hại tình dục, như xét xử kín và phòng xử án thân thiện, cũng được áp dụng.</p>"
        ),
        "provision": "juvenile_trial_guidance_2019",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_juvenile_case_officials",
        "category": "juvenile_procedure",
        "kind": "true_false",
        "stem": (
            "<p>Trong vụ án có người dưới 18 tuổi tham gia tố tụng, người tiến hành tố tụng phải "
            "là người đã được đào tạo hoặc có kinh nghiệm giải quyết vụ việc liên quan đến người "
            "dưới 18 tuổi, và người đại diện của người dưới 18 tuổi phải được thông báo trước khi "
            "lấy lời khai.</p>"
        ),
        "points": 1,
        "spec": {"correct": True},
        "explanation": (
            "<p>Đúng. Các quy định về thủ tục tố tụng đối với người dưới 18 tuổi đòi hỏi người "
            "tiến hành tố tụng phải được đào tạo hoặc có kinh nghiệm về công tác này, và người đại "
            "diện của người dưới 18 tuổi phải được báo trước về việc lấy lời khai (Bộ luật Tố tụng "
            "hình sự năm 2015, phần thủ tục đối với người dưới 18 tuổi).</p>"
        ),
        "provision": None,
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror"],
    },
    {
        "key": "q_scenario_child_interview_plan",
        "category": "juvenile_procedure",
        "kind": "scenario",
        "stem": (
            "<p><b>Tình huống: kế hoạch lấy lời khai em T.</b> Đọc tình huống và trả lời các câu "
            "hỏi.</p>"
        ),
        "points": 4,
        "spec": {
            "vignette": (
                "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                "đổi.</i></p><p>Em T. (14 tuổi) là bị hại trong một vụ án mua bán người vì mục "
                "đích mại dâm đang được điều tra tại tỉnh R. Điều tra viên dự kiến kế hoạch làm "
                "việc như sau:</p><ul><li>lấy lời khai em T. tại phòng làm việc thân thiện, có ghi "
                "âm, ghi hình;</li><li>ngay trong ngày đầu tiên, lấy lời khai ba lần, mỗi lần "
                "khoảng ba giờ, để “xong một lần cho em đỡ phải đi lại”;</li><li>cho em T. đối "
                "chất trực tiếp với người quản lý cơ sở để kiểm tra lời khai, dù lời khai đã có "
                "thể đối chiếu qua các chứng cứ khác;</li><li>báo trước cho người đại diện của em "
                "T. về lịch lấy lời khai.</li></ul>"
            ),
            "parts": [
                {
                    "id": "s1",
                    "kind": "multiple_response",
                    "prompt": (
                        "Những điểm nào trong kế hoạch không phù hợp với Điều 156 Luật Tư pháp "
                        "người chưa thành niên năm 2024? Chọn tất cả phương án đúng."
                    ),
                    "spec": {
                        "choices": [
                            {
                                "id": "a",
                                "text": (
                                    "Lấy lời khai tại phòng làm việc thân thiện, có ghi âm, ghi "
                                    "hình"
                                ),
                                "correct": False,
                            },
                            {
                                "id": "b",
                                "text": "Lấy lời khai ba lần trong một ngày",
                                "correct": True,
                            },
                            {
                                "id": "c",
                                "text": "Mỗi lần lấy lời khai kéo dài khoảng ba giờ",
                                "correct": True,
                            },
                            {
                                "id": "d",
                                "text": "Cho em T. đối chất trực tiếp với người quản lý cơ sở",
                                "correct": True,
                            },
                            {
                                "id": "e",
                                "text": (
                                    "Báo trước cho người đại diện của em T. về lịch lấy lời khai"
                                ),
                                "correct": False,
                            },
                        ],
                        "partial_credit": "right_minus_wrong",
                    },
                    "points": 2,
                },
                {
                    "id": "s2",
                    "kind": "true_false",
                    "prompt": (
                        "Một phóng viên đề nghị cung cấp ảnh của em T. để đưa tin. Cơ quan điều "
                        "tra có thể cung cấp vì vụ án được dư luận quan tâm."
                    ),
                    "spec": {"correct": False},
                    "points": 1,
                },
                {
                    "id": "s3",
                    "kind": "single_choice",
                    "prompt": (
                        "Khi vụ án được đưa ra xét xử, Tòa án cần tổ chức phiên tòa theo hình thức "
                        "nào?"
                    ),
                    "spec": {
                        "choices": [
                            {
                                "id": "a",
                                "text": (
                                    "Xét xử kín, tuyên án công khai, tại phòng xử án thân thiện"
                                ),
                                "correct": True,
                            },
                            {
                                "id": "b",
                                "text": (
                                    "Xét xử công khai, cho phép ghi hình bị hại để bảo đảm minh "
                                    "bạch"
                                ),
                                "correct": False,
                            },
                            {
                                "id": "c",
                                "text": (
                                    "Xét xử lưu động tại trường học của em T. để tăng tính giáo dục"
                                ),
                                "correct": False,
                            },
                        ],
                    },
                    "points": 1,
                },
            ],
        },
        "explanation": (
            "<ul><li>Câu 1: Điều 156 Luật Tư pháp người chưa thành niên số 59/2024/QH15 yêu cầu "
            "lấy lời khai tại địa điểm thân thiện và cho phép ghi âm, ghi hình; đồng thời giới hạn "
            "không quá 2 lần trong một ngày, mỗi lần không quá 2 giờ, và không đối chất với người "
            "bị buộc tội trừ trường hợp không thể tránh khỏi. Báo trước cho người đại diện là yêu "
            "cầu của thủ tục tố tụng đối với người dưới 18 tuổi (Bộ luật Tố tụng hình sự năm "
            "2015).</li><li>Câu 2 – Sai: Luật Phòng, chống mua bán người số 53/2024/QH15 nghiêm "
            "cấm tiết lộ thông tin về nạn nhân khi chưa có sự đồng ý của họ.</li><li>Câu 3: vụ án "
            "có bị hại dưới 18 tuổi bị mua bán được xét xử kín, tuyên án công khai, tại phòng xử "
            "án thân thiện (Nghị quyết số 06/2019/NQ-HĐTP; Thông tư số "
            "02/2018/TT-TANDTC).</li></ul>"
        ),
        "provision": "law_59_2024_art156",
        "job_roles": ["investigator", "prosecutor", "judge", "peoples_juror", "social_work"],
    },
    {
        "key": "q_programme_1629_successor",
        "category": "national_programmes",
        "kind": "single_choice",
        "stem": (
            "<p>Chương trình phòng, chống mại dâm giai đoạn 2021-2025, tiếp nối Chương trình theo "
            "Quyết định 361/QĐ-TTg, được phê duyệt tại văn bản nào?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "Quyết định số 1629/QĐ-TTg ngày 28/9/2021", "correct": True},
                {"id": "b", "text": "Quyết định số 679/QĐ-TTg", "correct": False},
                {"id": "c", "text": "Nghị định số 178/2004/NĐ-CP", "correct": False},
            ],
        },
        "explanation": (
            "<p>Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng Chính phủ phê duyệt Chương "
            "trình Phòng, chống mại dâm giai đoạn 2021-2025, tiếp nối Chương trình giai đoạn "
            "2016-2020 (Quyết định 361/QĐ-TTg). Nghị định số 178/2004/NĐ-CP là văn bản quy định "
            "chi tiết Pháp lệnh Phòng, chống mại dâm, không phải một chương trình.</p>"
        ),
        "provision": "decision_1629_2021",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_programme_361_objective3",
        "category": "national_programmes",
        "kind": "multiple_response",
        "stem": (
            "<p>Mục tiêu thứ ba của Chương trình phòng, chống mại dâm giai đoạn 2016-2020 (Quyết "
            "định 361/QĐ-TTg) gồm những nội dung nào? <i>Chọn tất cả phương án đúng.</i></p>"
        ),
        "points": 2,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Can thiệp giảm tác hại, dự phòng lây nhiễm HIV/AIDS và các bệnh xã hội"
                    ),
                    "correct": True,
                },
                {"id": "b", "text": "Tăng mức phạt tiền đối với người bán dâm", "correct": False},
                {
                    "id": "c",
                    "text": (
                        "Phòng ngừa, giảm tình trạng bạo lực trên cơ sở giới trong phòng, chống "
                        "mại dâm"
                    ),
                    "correct": True,
                },
                {
                    "id": "d",
                    "text": "Cấp phép cho một số cơ sở được hoạt động mại dâm",
                    "correct": False,
                },
                {
                    "id": "e",
                    "text": (
                        "Thí điểm mô hình tăng cường năng lực cho nhóm đồng đẳng, nhóm tự lực, câu "
                        "lạc bộ của người bán dâm"
                    ),
                    "correct": True,
                },
            ],
            "partial_credit": "right_minus_wrong",
        },
        "explanation": (
            "<p>Mục tiêu thứ ba của Chương trình 361 là triển khai các hoạt động can thiệp giảm "
            "tác hại, dự phòng lây nhiễm các bệnh xã hội và HIV/AIDS, phòng ngừa, giảm tình trạng "
            "bạo lực trên cơ sở giới, thông qua ba mô hình thí điểm, trong đó có mô hình tăng "
            "cường năng lực cho nhóm đồng đẳng, nhóm tự lực, câu lạc bộ của người bán dâm (Quyết "
            "định 361/QĐ-TTg). Chương trình không đặt mục tiêu tăng mức phạt hay cấp phép hoạt "
            "động mại dâm.</p>"
        ),
        "provision": "decision_361_2016",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_programme_1629_inspection_target",
        "category": "national_programmes",
        "kind": "single_choice",
        "stem": (
            "<p>Chương trình phòng, chống mại dâm giai đoạn 2021-2025 (Quyết định 1629/QĐ-TTg) đặt "
            "chỉ tiêu kiểm tra cơ sở kinh doanh dịch vụ có nguy cơ phát sinh tệ nạn mại dâm ở mức "
            "nào?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {"id": "a", "text": "Ít nhất 70% số cơ sở", "correct": False},
                {"id": "b", "text": "Ít nhất 20% số cơ sở", "correct": True},
                {"id": "c", "text": "100% số cơ sở mỗi năm", "correct": False},
            ],
        },
        "explanation": (
            "<p>Quyết định 1629/QĐ-TTg đặt chỉ tiêu ít nhất 20% cơ sở kinh doanh dịch vụ có nguy "
            "cơ được kiểm tra. Con số 70% là chỉ tiêu số xã, phường, thị trấn tổ chức hoạt động "
            "truyền thông, nâng cao nhận thức về phòng, chống mại dâm.</p>"
        ),
        "provision": "decision_1629_2021",
        "job_roles": ["inspection_team_member"],
    },
    {
        "key": "q_programme_361_training_task",
        "category": "national_programmes",
        "kind": "single_choice",
        "stem": (
            "<p>Nhiệm vụ đầu tiên thuộc mục tiêu thứ tư (đấu tranh, xử lý nghiêm minh vi phạm) của "
            "Chương trình 361 là gì?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Thí điểm mô hình hỗ trợ nhóm đồng đẳng, nhóm tự lực, câu lạc bộ của người "
                        "bán dâm"
                    ),
                    "correct": False,
                },
                {
                    "id": "b",
                    "text": "Cấp phép cho các cơ sở kinh doanh dịch vụ karaoke, xoa bóp",
                    "correct": False,
                },
                {
                    "id": "c",
                    "text": (
                        "Xây dựng tài liệu, tổ chức tập huấn cho thành viên Đội kiểm tra liên "
                        "ngành, điều tra viên, kiểm sát viên, thẩm phán, hội thẩm"
                    ),
                    "correct": True,
                },
            ],
        },
        "explanation": (
            "<p>Nhiệm vụ đầu tiên của mục tiêu thứ tư là xây dựng tài liệu, tổ chức các khóa tập "
            "huấn nâng cao năng lực cho thành viên Đội kiểm tra liên ngành, lực lượng điều tra, "
            "kiểm sát viên, thẩm phán, hội thẩm trong kiểm tra, điều tra, truy tố, xét xử các vụ "
            "án liên quan đến mại dâm (Quyết định 361/QĐ-TTg). Mô hình hỗ trợ nhóm đồng đẳng thuộc "
            "mục tiêu thứ ba.</p>"
        ),
        "provision": "decision_361_2016",
        "job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
    },
    {
        "key": "q_programme_361_dialogue_model",
        "category": "national_programmes",
        "kind": "true_false",
        "stem": (
            "<p>Một trong ba mô hình thí điểm của Chương trình 361 bao gồm việc tổ chức đối thoại "
            "giữa nhóm đồng đẳng, nhóm tự lực, câu lạc bộ của người bán dâm với cơ quan thực thi "
            "chính sách.</p>"
        ),
        "points": 1,
        "spec": {"correct": True},
        "explanation": (
            "<p>Đúng. Mô hình thứ ba thuộc mục tiêu thứ ba của Chương trình 361 hỗ trợ nâng cao "
            "năng lực cho nhóm đồng đẳng, nhóm tự lực, câu lạc bộ của người bán dâm, tổ chức đối "
            "thoại giữa các nhóm với cơ quan thực thi chính sách và tập huấn cho các cơ quan liên "
            "quan về phòng, chống bạo lực trên cơ sở giới đối với người bán dâm (Quyết định "
            "361/QĐ-TTg).</p>"
        ),
        "provision": "decision_361_2016",
        "job_roles": ["inspection_team_member", "investigator", "social_work"],
    },
    {
        "key": "q_inspection_team_legal_basis",
        "category": "inspection_coordination",
        "kind": "single_choice",
        "stem": (
            "<p>Văn bản nào là cơ sở pháp lý cho việc thành lập và hoạt động của Đội kiểm tra liên "
            "ngành về phòng, chống mại dâm?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": "Luật Tư pháp người chưa thành niên số 59/2024/QH15",
                    "correct": False,
                },
                {
                    "id": "b",
                    "text": "Nghị định số 178/2004/NĐ-CP và Thông tư số 05/2006/TT-BLĐTBXH",
                    "correct": True,
                },
                {"id": "c", "text": "Quyết định số 1629/QĐ-TTg", "correct": False},
            ],
        },
        "explanation": (
            "<p>Nghị định số 178/2004/NĐ-CP quy định chi tiết thi hành Pháp lệnh Phòng, chống mại "
            "dâm; Thông tư số 05/2006/TT-BLĐTBXH hướng dẫn thành lập Đội kiểm tra liên ngành. "
            "Quyết định 1629/QĐ-TTg là chương trình giai đoạn 2021-2025, còn Luật số 59/2024/QH15 "
            "điều chỉnh tư pháp người chưa thành niên.</p>"
        ),
        "provision": "decree_178_2004",
        "job_roles": ["inspection_team_member"],
    },
    {
        "key": "q_inspection_team_nickname",
        "category": "inspection_coordination",
        "kind": "short_answer",
        "stem": (
            "<p>Đội kiểm tra liên ngành về phòng, chống mại dâm thường được gọi tắt theo số hiệu "
            "của nghị định làm cơ sở pháp lý cho Đội. Tên gọi tắt đó là gì?</p>"
        ),
        "points": 1,
        "spec": {"accepted": ["Đội 178", "178"], "diacritics_optional": True},
        "explanation": (
            "<p>Đội kiểm tra liên ngành thường được gọi là “Đội 178”, theo Nghị định số "
            "178/2004/NĐ-CP quy định chi tiết Pháp lệnh Phòng, chống mại dâm (cùng với Thông tư số "
            "05/2006/TT-BLĐTBXH hướng dẫn thành lập Đội).</p>"
        ),
        "provision": "decree_178_2004",
        "job_roles": ["inspection_team_member"],
    },
    {
        "key": "q_inspection_unannounced",
        "category": "inspection_coordination",
        "kind": "true_false",
        "stem": (
            "<p>Đội kiểm tra liên ngành chỉ được kiểm tra cơ sở kinh doanh dịch vụ theo kế hoạch "
            "đã thông báo trước cho cơ sở.</p>"
        ),
        "points": 1,
        "spec": {"correct": False},
        "explanation": (
            "<p>Sai. Theo cơ sở pháp lý của Đội kiểm tra liên ngành (Nghị định số 178/2004/NĐ-CP; "
            "Thông tư số 05/2006/TT-BLĐTBXH), Đội kiểm tra các cơ sở kinh doanh dịch vụ có nguy cơ "
            "như khách sạn, nhà nghỉ, karaoke, xoa bóp, quán bar theo kế hoạch hoặc đột xuất.</p>"
        ),
        "provision": "circular_05_2006",
        "job_roles": ["inspection_team_member"],
    },
    {
        "key": "q_referral_minor_tip",
        "category": "inspection_coordination",
        "kind": "single_choice",
        "stem": (
            "<p>Một cán bộ Trung tâm công tác xã hội nhận được tin cơ sở karaoke Z có thể đang "
            "dùng người dưới 18 tuổi để phục vụ hoạt động mua bán dâm; người cung cấp tin đề nghị "
            "giữ kín danh tính. Đội kiểm tra liên ngành đã có lịch kiểm tra cơ sở này vào tháng "
            "sau. Cách làm nào đúng?</p>"
        ),
        "points": 1,
        "spec": {
            "choices": [
                {
                    "id": "a",
                    "text": (
                        "Chuyển ngay thông tin cho cơ quan có thẩm quyền, đồng thời giữ kín danh "
                        "tính người cung cấp tin"
                    ),
                    "correct": True,
                },
                {
                    "id": "b",
                    "text": "Chờ đến đợt kiểm tra theo kế hoạch để xác minh cùng lúc",
                    "correct": False,
                },
                {
                    "id": "c",
                    "text": "Tự đến cơ sở yêu cầu chủ cơ sở xuất trình giấy tờ của nhân viên",
                    "correct": False,
                },
            ],
        },
        "explanation": (
            "<p>Dấu hiệu tội phạm liên quan đến người dưới 18 tuổi phải được chuyển ngay cho cơ "
            "quan có thẩm quyền, không chờ đợt kiểm tra tiếp theo; mỗi cơ quan làm đúng thẩm quyền "
            "của mình và thông tin về người cung cấp tin chỉ được chia sẻ trong phạm vi cần thiết "
            "(bài “Phối hợp liên ngành”, khóa học Nền tảng chung). Quyết định 361/QĐ-TTg giao "
            "nhiệm vụ tiếp nhận, xác minh tin báo, tố giác về tội phạm liên quan đến mại dâm.</p>"
        ),
        "provision": "decision_361_2016",
        "job_roles": ["inspection_team_member", "investigator", "social_work"],
    },
]

FINAL_QUIZ = {
    "title": "Bài kiểm tra cuối khóa: Nền tảng chung",
    "slug": "kiem-tra-cuoi-khoa",
    "intro": (
        "<p>Bài kiểm tra gồm 15 câu hỏi: 8 câu cố định và 7 câu được chọn ngẫu nhiên từ ngân hàng "
        "câu hỏi về khung pháp lý, phân biệt mại dâm và mua bán người, tố tụng với người dưới 18 "
        "tuổi, các chương trình quốc gia và công tác kiểm tra liên ngành. Anh/chị có 30 phút cho "
        "mỗi lần làm bài và cần đạt từ 70% số điểm trở lên. Mỗi người được làm tối đa 3 lần, hai "
        "lần liên tiếp cách nhau ít nhất 10 phút; kết quả cao nhất được ghi nhận. Đáp án và giải "
        "thích được hiển thị sau khi anh/chị đạt bài kiểm tra.</p><p>Một số câu hỏi là tình huống "
        "giả định về người dưới 18 tuổi bị bóc lột trong hoạt động mại dâm; các tình huống không "
        "mô tả chi tiết về tình dục.</p>"
    ),
    "fixed": [
        "q_ordinance_mua_dam",
        "q_penal_code_offence_articles",
        "q_minor_found_at_venue",
        "q_consent_after_deception",
        "q_scenario_massage_y",
        "q_who_first_principle",
        "q_disclose_victim_info",
        "q_programme_361_objective3",
    ],
    "draws": [
        {"category": "legal_framework", "count": 2},
        {"category": "prostitution_vs_trafficking", "count": 1},
        {"category": "juvenile_procedure", "count": 2},
        {"category": "national_programmes", "count": 1},
        {"category": "inspection_coordination", "count": 1},
    ],
    "pass_mark": 70,
    "time_limit_minutes": 30,
    "attempts_allowed": 3,
    "cooldown_minutes": 10,
    "grading_method": "highest",
    "shuffle_questions": True,
    "shuffle_choices": True,
    "review": "after_passing",
}
