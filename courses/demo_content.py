"""Demo curriculum for the prostitution-prevention training platform (Vietnamese).

Pure data, no Django imports: a loader turns it into Wagtail pages and snippets.

Built from /work/shared/DOMAIN.md (fact sheet and curriculum outline) and the seed programme
document (Decision 361/QĐ-TTg). Rules the content follows:

- Only synthetic, anonymised cases (invented initials and place names such as "karaoke X").
- Victim-centred, non-stigmatising language ("người bán dâm", "nạn nhân").
- Numbers are taught only where DOMAIN.md rates the source High or Medium-high, and each is
  cited in the text; the membership of inspection teams is deliberately not listed.
- "effective_date" is None where DOMAIN.md gives no date of entry into force; "source_url" is
  empty because DOMAIN.md names sources but gives no full URLs.

Body blocks are (block_type, value) tuples: "heading" (plain text), "paragraph" (HTML using
p, ul, ol, li, b, i), "callout" (kind "key_point" or "caution"), "legal_provision" (a key of
LEGAL_PROVISIONS), "case_study", and "content_warning" (the distressing part sits in
"content", hidden until the trainee chooses to show it).
"""

LEGAL_PROVISIONS = [
    {
        "key": "decision_361_2016",
        "instrument": "Quyết định số 361/QĐ-TTg của Thủ tướng Chính phủ",
        "article": "",
        "short_text": (
            "Phê duyệt Chương trình Phòng, chống mại dâm giai đoạn 2016-2020 (ban hành ngày "
            "07/3/2016) với bốn mục tiêu: tuyên truyền, giáo dục pháp luật; phòng ngừa thông qua "
            "lồng ghép các chương trình kinh tế - xã hội ở cơ sở; can thiệp giảm tác hại, phòng "
            "ngừa bạo lực trên cơ sở giới; đấu tranh, xử lý nghiêm minh vi phạm. Nhiệm vụ của mục "
            "tiêu thứ tư gồm xây dựng tài liệu, tập huấn cho thành viên Đội kiểm tra liên ngành, "
            "điều tra viên, kiểm sát viên, thẩm phán, hội thẩm và bảo vệ nạn nhân, nhất là nạn "
            "nhân là trẻ em."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "caselaw.vn",
        "source_url": "",
    },
    {
        "key": "decision_1629_2021",
        "instrument": "Quyết định số 1629/QĐ-TTg của Thủ tướng Chính phủ",
        "article": "",
        "short_text": (
            "Phê duyệt Chương trình Phòng, chống mại dâm giai đoạn 2021-2025 (ban hành ngày "
            "28/9/2021), tiếp nối Chương trình giai đoạn 2016-2020. Chương trình đặt chỉ tiêu ít "
            "nhất 70% xã, phường, thị trấn tổ chức hoạt động truyền thông, nâng cao nhận thức và "
            "ít nhất 20% cơ sở kinh doanh dịch vụ có nguy cơ được kiểm tra; huy động sự tham gia "
            "của nhóm đồng đẳng, nhóm tự lực và câu lạc bộ của người bán dâm."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "english.luatvietnam.vn",
        "source_url": "",
    },
    {
        "key": "ordinance_2003_art3",
        "instrument": "Pháp lệnh Phòng, chống mại dâm số 10/2003/PL-UBTVQH11",
        "article": "Điều 3",
        "short_text": (
            "Giải thích các khái niệm cơ bản, trong đó bán dâm là hành vi giao cấu của một người "
            "với người khác để được trả tiền hoặc lợi ích vật chất khác; mua dâm là hành vi của "
            "người dùng tiền hoặc lợi ích vật chất khác trả cho người bán dâm để được giao cấu."
        ),
        "effective_date": "2003-07-01",
        "superseded_by": None,
        "source_name": "dulieuphaply.vn",
        "source_url": "",
    },
    {
        "key": "decree_178_2004",
        "instrument": "Nghị định số 178/2004/NĐ-CP",
        "article": "",
        "short_text": (
            "Quy định chi tiết thi hành một số điều của Pháp lệnh Phòng, chống mại dâm; cùng với "
            "Thông tư số 05/2006/TT-BLĐTBXH là cơ sở pháp lý cho việc thành lập và hoạt động của "
            "Đội kiểm tra liên ngành về phòng, chống mại dâm (thường gọi là “Đội 178”)."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "vbpl.vn",
        "source_url": "",
    },
    {
        "key": "circular_05_2006",
        "instrument": "Thông tư số 05/2006/TT-BLĐTBXH",
        "article": "",
        "short_text": (
            "Hướng dẫn việc thành lập Đội kiểm tra liên ngành về phòng, chống mại dâm theo Nghị "
            "định số 178/2004/NĐ-CP."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "thuvienphapluat.vn",
        "source_url": "",
    },
    {
        "key": "penal_code_2015",
        "instrument": (
            "Bộ luật Hình sự số 100/2015/QH13, được sửa đổi, bổ sung bởi Luật số 12/2017/QH14"
        ),
        "article": "",
        "short_text": (
            "Bộ luật quy định các tội phạm liên quan đến mại dâm (chứa mại dâm, môi giới mại dâm, "
            "mua dâm người dưới 18 tuổi) và các tội mua bán người. Bộ luật tiếp tục được sửa đổi, "
            "bổ sung bởi các luật sau này, trong đó có Luật số 59/2024/QH15 và Luật số "
            "86/2025/QH15; khi áp dụng cần đối chiếu văn bản hợp nhất hiện hành."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "danhmucvanbanphapluatvietnam",
        "source_url": "",
    },
    {
        "key": "penal_code_art327",
        "instrument": "Bộ luật Hình sự số 100/2015/QH13 (sửa đổi, bổ sung năm 2017)",
        "article": "Điều 327",
        "short_text": (
            "Tội chứa mại dâm: phạt tù từ 01 năm đến 05 năm; khung cao nhất từ 15 năm đến 20 năm "
            "hoặc tù chung thân; người phạm tội còn có thể bị phạt tiền từ 10 triệu đồng đến 100 "
            "triệu đồng."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "Báo chí địa phương (trích Bộ luật Hình sự)",
        "source_url": "",
    },
    {
        "key": "penal_code_art328",
        "instrument": "Bộ luật Hình sự số 100/2015/QH13 (sửa đổi, bổ sung năm 2017)",
        "article": "Điều 328",
        "short_text": (
            "Tội môi giới mại dâm: phạt tù từ 06 tháng đến 03 năm; các khung tăng nặng từ 03 năm "
            "đến 07 năm và từ 07 năm đến 15 năm; người phạm tội còn có thể bị phạt tiền từ 10 "
            "triệu đồng đến 50 triệu đồng."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "vanphongluatsu.com.vn",
        "source_url": "",
    },
    {
        "key": "penal_code_art329",
        "instrument": "Bộ luật Hình sự số 100/2015/QH13 (sửa đổi, bổ sung năm 2017)",
        "article": "Điều 329",
        "short_text": (
            "Tội mua dâm người dưới 18 tuổi: chủ thể là người từ đủ 18 tuổi trở lên; phạt tù từ 01 "
            "năm đến 05 năm; từ 03 năm đến 07 năm (trong đó có trường hợp mua dâm người từ đủ 13 "
            "tuổi đến dưới 16 tuổi); khung cao nhất từ 07 năm đến 15 năm."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "Công báo số 779-780/2017 (vi.wikisource.org)",
        "source_url": "",
    },
    {
        "key": "penal_code_art151",
        "instrument": "Bộ luật Hình sự số 100/2015/QH13 (sửa đổi, bổ sung năm 2017)",
        "article": "Điều 151",
        "short_text": (
            "Tội mua bán người dưới 16 tuổi: không đòi hỏi chứng minh thủ đoạn vũ lực, đe dọa hay "
            "lừa gạt; phạt tù từ 07 năm đến 12 năm, từ 12 năm đến 20 năm, và từ 18 năm đến 20 năm "
            "hoặc tù chung thân."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "luatsubaochua.vn",
        "source_url": "",
    },
    {
        "key": "decree_144_2021",
        "instrument": "Nghị định số 144/2021/NĐ-CP",
        "article": "",
        "short_text": (
            "Quy định xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự, an toàn xã hội; "
            "phòng, chống tệ nạn xã hội, trong đó có các hành vi mua dâm, bán dâm và hành vi liên "
            "quan. Đã được thay thế bởi Nghị định số 282/2025/NĐ-CP."
        ),
        "effective_date": "2022-01-01",
        "superseded_by": "decree_282_2025",
        "source_name": "thanhtra.bvhttdl.gov.vn",
        "source_url": "",
    },
    {
        "key": "decree_282_2025",
        "instrument": "Nghị định số 282/2025/NĐ-CP",
        "article": "Điều 32",
        "short_text": (
            "Nghị định thay thế Nghị định số 144/2021/NĐ-CP về xử phạt vi phạm hành chính. Theo "
            "Điều 32, hành vi mua dâm bị phạt tiền từ 1 triệu đồng đến 2 triệu đồng; các trường "
            "hợp nghiêm trọng hơn quy định tại điều này bị phạt từ 2 triệu đồng đến 5 triệu đồng."
        ),
        "effective_date": "2025-12-15",
        "superseded_by": None,
        "source_name": "giadinh.suckhoedoisong.vn",
        "source_url": "",
    },
    {
        "key": "law_66_2011",
        "instrument": "Luật Phòng, chống mua bán người số 66/2011/QH12",
        "article": "",
        "short_text": (
            "Luật Phòng, chống mua bán người năm 2011, có hiệu lực từ ngày 01/01/2012. Đã được "
            "thay thế bởi Luật Phòng, chống mua bán người số 53/2024/QH15."
        ),
        "effective_date": "2012-01-01",
        "superseded_by": "law_53_2024",
        "source_name": "vietjack.me",
        "source_url": "",
    },
    {
        "key": "law_53_2024",
        "instrument": "Luật Phòng, chống mua bán người số 53/2024/QH15",
        "article": "",
        "short_text": (
            "Thay thế Luật năm 2011 và khẳng định cách tiếp cận lấy nạn nhân làm trung tâm. Người "
            "dưới 18 tuổi được coi là bị mua bán mà không cần yếu tố vũ lực hay lừa gạt; nghiêm "
            "cấm kỳ thị nạn nhân và tiết lộ thông tin về nạn nhân khi chưa có sự đồng ý; hành vi "
            "là hệ quả trực tiếp của việc bị mua bán có thể không bị xử lý."
        ),
        "effective_date": "2025-07-01",
        "superseded_by": None,
        "source_name": "thuvienphapluat.vn",
        "source_url": "",
    },
    {
        "key": "law_59_2024_art156",
        "instrument": "Luật Tư pháp người chưa thành niên số 59/2024/QH15",
        "article": "Điều 156",
        "short_text": (
            "Lấy lời khai người dưới 18 tuổi là bị hại tại địa điểm thân thiện, có thể ghi âm, ghi "
            "hình; hạn chế tối đa số lần lấy lời khai, không quá 2 lần trong một ngày, mỗi lần "
            "không quá 2 giờ; không đối chất với người bị buộc tội, trừ trường hợp không thể tránh "
            "khỏi."
        ),
        "effective_date": "2026-01-01",
        "superseded_by": None,
        "source_name": "hethongphapluat.com",
        "source_url": "",
    },
    {
        "key": "juvenile_trial_guidance_2019",
        "instrument": (
            "Nghị quyết số 06/2019/NQ-HĐTP; Thông tư số 02/2018/TT-TANDTC; Thông tư liên tịch số "
            "06/2018"
        ),
        "article": "",
        "short_text": (
            "Vụ án có bị hại dưới 18 tuổi bị xâm hại tình dục hoặc bị mua bán được xét xử kín, "
            "tuyên án công khai; tổ chức phòng xử án thân thiện; hành vi sử dụng người dưới 16 "
            "tuổi vào mục đích mại dâm được coi là xâm hại tình dục."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "rule.vn; nhanchinh.vn",
        "source_url": "",
    },
    {
        "key": "palermo_protocol_art3",
        "instrument": (
            "Nghị định thư về phòng ngừa, trấn áp và trừng trị việc buôn bán người (Nghị định thư "
            "Palermo)"
        ),
        "article": "Điều 3",
        "short_text": (
            "Khi người phạm tội đã sử dụng thủ đoạn bất hợp pháp (vũ lực, đe dọa, lừa gạt…), sự "
            "đồng ý của nạn nhân không có giá trị; đối với trẻ em (người dưới 18 tuổi), không cần "
            "chứng minh thủ đoạn. Việt Nam gia nhập Nghị định thư năm 2012."
        ),
        "effective_date": None,
        "superseded_by": None,
        "source_name": "ungift.org",
        "source_url": "",
    },
]

FOUNDATION_COURSE = {
    "code": "PCMD-101",
    "title": "Nền tảng chung về phòng, chống mại dâm",
    "summary": (
        "Khóa học nền tảng dành cho mọi lực lượng tham gia phòng, chống mại dâm: khung pháp lý, "
        "phân biệt mại dâm với mua bán người, các chương trình quốc gia, phối hợp liên ngành và "
        "cách tiếp cận lấy nạn nhân làm trung tâm."
    ),
    "objectives": [
        (
            "Trình bày được các văn bản pháp luật chính về phòng, chống mại dâm và mua bán người, "
            "kể cả văn bản nào đang có hiệu lực và văn bản nào đã được thay thế."
        ),
        (
            "Phân biệt được vi phạm hành chính về mại dâm, các tội phạm liên quan đến mại dâm và "
            "hành vi mua bán người vì mục đích mại dâm, đặc biệt khi có người dưới 18 tuổi."
        ),
        (
            "Nêu được mục tiêu, nhiệm vụ chính của các Chương trình phòng, chống mại dâm theo "
            "Quyết định 361/QĐ-TTg và Quyết định 1629/QĐ-TTg."
        ),
        (
            "Xác định được vai trò của từng lực lượng và các bước phối hợp, chuyển gửi khi phát "
            "hiện nạn nhân tiềm năng."
        ),
        (
            "Áp dụng được các nguyên tắc tiếp cận lấy nạn nhân làm trung tâm: không gây hại, bảo "
            "mật thông tin, ngôn ngữ không kỳ thị và bảo vệ người dưới 18 tuổi trong tố tụng."
        ),
    ],
    "estimated_hours": 3,
    "target_job_roles": [
        "inspection_team_member",
        "investigator",
        "prosecutor",
        "judge",
        "peoples_juror",
        "social_work",
    ],
    "legal_provisions": [
        "ordinance_2003_art3",
        "decree_178_2004",
        "circular_05_2006",
        "decree_144_2021",
        "decree_282_2025",
        "penal_code_2015",
        "penal_code_art327",
        "penal_code_art328",
        "penal_code_art329",
        "penal_code_art151",
        "law_66_2011",
        "law_53_2024",
        "law_59_2024_art156",
        "juvenile_trial_guidance_2019",
        "palermo_protocol_art3",
        "decision_361_2016",
        "decision_1629_2021",
    ],
    "lessons": [
        {
            "title": "Khung pháp lý về phòng, chống mại dâm",
            "slug": "khung-phap-ly-phong-chong-mai-dam",
            "estimated_minutes": 40,
            "body": [
                ("heading", "Mục đích của bài học"),
                (
                    "paragraph",
                    (
                        "<p>Bài học giới thiệu các văn bản pháp luật chính mà mọi lực lượng tham "
                        "gia phòng, chống mại dâm cần nắm vững: Pháp lệnh Phòng, chống mại dâm; "
                        "các văn bản về Đội kiểm tra liên ngành; quy định xử phạt vi phạm hành "
                        "chính; các tội phạm liên quan đến mại dâm trong Bộ luật Hình sự và pháp "
                        "luật về phòng, chống mua bán người. Mục tiêu không phải là ghi nhớ từng "
                        "điều khoản, mà là hiểu mỗi văn bản điều chỉnh vấn đề gì, khi nào được áp "
                        "dụng và văn bản nào đang còn hiệu lực.</p>"
                    ),
                ),
                ("heading", "1. Pháp lệnh Phòng, chống mại dâm năm 2003 và các khái niệm cơ bản"),
                (
                    "paragraph",
                    (
                        "<p>Pháp lệnh Phòng, chống mại dâm số 10/2003/PL-UBTVQH11, có hiệu lực từ "
                        "ngày 01/7/2003, là văn bản nền tảng của công tác phòng, chống mại dâm "
                        "(Pháp lệnh số 10/2003/PL-UBTVQH11). Điều 3 của Pháp lệnh giải thích các "
                        "khái niệm cơ bản, trong đó:</p><ul><li><b>Bán dâm</b> là hành vi giao cấu "
                        "của một người với người khác để được trả tiền hoặc lợi ích vật chất "
                        "khác.</li><li><b>Mua dâm</b> là hành vi của người dùng tiền hoặc lợi ích "
                        "vật chất khác trả cho người bán dâm để được giao cấu.</li><li><b>Mại "
                        "dâm</b> là hành vi mua dâm, bán dâm.</li></ul><p>Nắm chắc các khái niệm "
                        "này giúp cán bộ xác định đúng hành vi, đúng chủ thể và lựa chọn đúng văn "
                        "bản để xử lý. Trong biên bản, hồ sơ và khi giao tiếp, cần dùng thuật ngữ "
                        "pháp lý trung tính như “người bán dâm”, “người mua dâm”, tránh các từ "
                        "lóng và từ ngữ miệt thị.</p>"
                    ),
                ),
                ("legal_provision", "ordinance_2003_art3"),
                ("heading", "2. Cơ sở pháp lý của Đội kiểm tra liên ngành"),
                (
                    "paragraph",
                    (
                        "<p>Nghị định số 178/2004/NĐ-CP quy định chi tiết thi hành một số điều của "
                        "Pháp lệnh; Thông tư số 05/2006/TT-BLĐTBXH hướng dẫn việc thành lập Đội "
                        "kiểm tra liên ngành về phòng, chống mại dâm, thường được gọi là “Đội "
                        "178”. Đội có nhiệm vụ kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi "
                        "dụng để hoạt động mại dâm như khách sạn, nhà nghỉ, karaoke, xoa bóp, quán "
                        "bar; việc kiểm tra có thể được tiến hành theo kế hoạch hoặc đột xuất. Nội "
                        "dung kiểm tra gồm việc chấp hành các quy định về phòng, chống mại dâm, "
                        "trật tự công cộng, lao động và y tế. Khi phát hiện vi phạm, Đội lập biên "
                        "bản vi phạm hành chính và xử phạt trong phạm vi thẩm quyền.</p>"
                    ),
                ),
                ("legal_provision", "decree_178_2004"),
                ("legal_provision", "circular_05_2006"),
                (
                    "callout",
                    {
                        "kind": "caution",
                        "title": "Về thành phần Đội kiểm tra liên ngành",
                        "text": (
                            "<p>Thành phần cụ thể của Đội kiểm tra liên ngành được xác định trong "
                            "quyết định thành lập Đội tại từng địa phương. Tài liệu này không đưa "
                            "ra danh sách cơ quan thành viên; học viên cần tra cứu quyết định "
                            "thành lập Đội nơi mình công tác.</p>"
                        ),
                    },
                ),
                ("heading", "3. Xử phạt vi phạm hành chính"),
                (
                    "paragraph",
                    (
                        "<p>Các hành vi vi phạm chưa đến mức truy cứu trách nhiệm hình sự, trong "
                        "đó có hành vi mua dâm, bán dâm, bị xử phạt vi phạm hành chính. Nghị định "
                        "số 144/2021/NĐ-CP, có hiệu lực từ ngày 01/01/2022, quy định xử phạt vi "
                        "phạm hành chính trong lĩnh vực an ninh, trật tự, an toàn xã hội và phòng, "
                        "chống tệ nạn xã hội (Nghị định số 144/2021/NĐ-CP). Nghị định này đã được "
                        "thay thế bởi Nghị định số 282/2025/NĐ-CP, có hiệu lực từ ngày 15/12/2025. "
                        "Theo Điều 32 của Nghị định mới, hành vi mua dâm bị phạt tiền từ 1 triệu "
                        "đồng đến 2 triệu đồng; các trường hợp nghiêm trọng hơn được quy định tại "
                        "điều này bị phạt từ 2 triệu đồng đến 5 triệu đồng (Nghị định số "
                        "282/2025/NĐ-CP, Điều 32).</p>"
                    ),
                ),
                ("legal_provision", "decree_144_2021"),
                ("legal_provision", "decree_282_2025"),
                ("heading", "4. Các tội phạm liên quan đến mại dâm trong Bộ luật Hình sự"),
                (
                    "paragraph",
                    (
                        "<p>Bộ luật Hình sự số 100/2015/QH13, được sửa đổi, bổ sung bởi Luật số "
                        "12/2017/QH14, quy định ba tội danh trực tiếp liên quan đến mại "
                        "dâm:</p><ul><li><b>Tội chứa mại dâm (Điều 327):</b> phạt tù từ 01 năm đến "
                        "05 năm; ở khung cao nhất, phạt tù từ 15 năm đến 20 năm hoặc tù chung "
                        "thân; người phạm tội còn có thể bị phạt tiền từ 10 triệu đồng đến 100 "
                        "triệu đồng (Bộ luật Hình sự, Điều 327).</li><li><b>Tội môi giới mại dâm "
                        "(Điều 328):</b> phạt tù từ 06 tháng đến 03 năm; các khung tăng nặng từ 03 "
                        "năm đến 07 năm và từ 07 năm đến 15 năm; người phạm tội còn có thể bị phạt "
                        "tiền từ 10 triệu đồng đến 50 triệu đồng (Bộ luật Hình sự, Điều "
                        "328).</li><li><b>Tội mua dâm người dưới 18 tuổi (Điều 329):</b> chủ thể "
                        "là người từ đủ 18 tuổi trở lên; phạt tù từ 01 năm đến 05 năm; từ 03 năm "
                        "đến 07 năm (trong đó có trường hợp mua dâm người từ đủ 13 tuổi đến dưới "
                        "16 tuổi); khung cao nhất từ 07 năm đến 15 năm (Bộ luật Hình sự, Điều "
                        "329).</li></ul><p>Điểm cần lưu ý: cùng là hành vi mua dâm, nhưng nếu "
                        "người bán dâm dưới 18 tuổi và người mua từ đủ 18 tuổi trở lên thì hành vi "
                        "có thể cấu thành tội phạm, không chỉ là vi phạm hành chính.</p>"
                    ),
                ),
                ("legal_provision", "penal_code_2015"),
                ("legal_provision", "penal_code_art327"),
                ("legal_provision", "penal_code_art328"),
                ("legal_provision", "penal_code_art329"),
                (
                    "callout",
                    {
                        "kind": "caution",
                        "title": "Khung hình phạt có thể thay đổi",
                        "text": (
                            "<p>Bộ luật Hình sự đã được sửa đổi, bổ sung nhiều lần, gần đây bởi "
                            "Luật số 86/2025/QH15. Các khung hình phạt nêu trong bài giúp hình "
                            "dung mức độ nghiêm trọng của từng tội; khi áp dụng vào hồ sơ cụ thể, "
                            "phải đối chiếu văn bản hợp nhất đang có hiệu lực.</p>"
                        ),
                    },
                ),
                ("heading", "5. Pháp luật về phòng, chống mua bán người"),
                (
                    "paragraph",
                    (
                        "<p>Luật Phòng, chống mua bán người số 66/2011/QH12 (có hiệu lực từ ngày "
                        "01/01/2012) đã được thay thế bởi Luật Phòng, chống mua bán người số "
                        "53/2024/QH15, có hiệu lực từ ngày 01/7/2025 (Luật số 53/2024/QH15). Luật "
                        "năm 2024 khẳng định cách tiếp cận lấy nạn nhân làm trung tâm. Bộ luật "
                        "Hình sự quy định các tội mua bán người, trong đó có tội mua bán người "
                        "dưới 16 tuổi (Bộ luật Hình sự, Điều 151). Ở cấp độ quốc tế, năm 2012 Việt "
                        "Nam đã gia nhập Nghị định thư về phòng ngừa, trấn áp và trừng trị việc "
                        "buôn bán người (Nghị định thư Palermo; nguồn: ungift.org). Luật Tư pháp "
                        "người chưa thành niên số 59/2024/QH15, có hiệu lực từ ngày 01/01/2026, "
                        "đặt ra các bảo đảm riêng khi người dưới 18 tuổi tham gia tố tụng (Luật số "
                        "59/2024/QH15). Các nội dung này được phân tích ở Bài 2 và Bài 5.</p>"
                    ),
                ),
                ("legal_provision", "law_66_2011"),
                (
                    "callout",
                    {
                        "kind": "key_point",
                        "title": "Ba tầng của khung pháp lý",
                        "text": (
                            "<p>Khung pháp lý có thể hình dung theo ba tầng: (1) xử lý hành chính "
                            "các vi phạm chưa đến mức tội phạm; (2) truy cứu trách nhiệm hình sự "
                            "đối với hành vi chứa mại dâm, môi giới mại dâm, mua dâm người dưới 18 "
                            "tuổi và mua bán người; (3) bảo vệ, hỗ trợ nạn nhân. Khi phát hiện "
                            "người dưới 18 tuổi trong hoạt động mại dâm, không tiếp cận người đó "
                            "như đối tượng xử phạt hành chính mà ưu tiên coi là nạn nhân tiềm "
                            "năng, bảo vệ và chuyển vụ việc cho cơ quan điều tra (Bộ luật Hình sự, "
                            "Điều 329; Nghị định thư Palermo, Điều 3).</p>"
                        ),
                    },
                ),
                ("heading", "Câu hỏi tự kiểm tra"),
                (
                    "paragraph",
                    (
                        "<ol><li>Theo Pháp lệnh năm 2003, “mua dâm” được hiểu như thế "
                        "nào?</li><li>Văn bản nào hiện quy định mức phạt đối với hành vi mua dâm, "
                        "và văn bản đó đã thay thế văn bản nào?</li><li>Chủ thể của tội mua dâm "
                        "người dưới 18 tuổi phải đủ bao nhiêu tuổi?</li></ol>"
                    ),
                ),
                ("heading", "Nguồn tham khảo"),
                (
                    "paragraph",
                    (
                        "<ul><li>Pháp lệnh số 10/2003/PL-UBTVQH11 (dulieuphaply.vn; "
                        "dulieuphapluat.vn).</li><li>Nghị định số 178/2004/NĐ-CP (vbpl.vn); Thông "
                        "tư số 05/2006/TT-BLĐTBXH (thuvienphapluat.vn).</li><li>Nghị định số "
                        "144/2021/NĐ-CP (thanhtra.bvhttdl.gov.vn); Nghị định số 282/2025/NĐ-CP "
                        "(giadinh.suckhoedoisong.vn).</li><li>Bộ luật Hình sự: Điều 327 (báo chí "
                        "địa phương), Điều 328 (vanphongluatsu.com.vn), Điều 329 (Công báo số "
                        "779-780/2017), Điều 151 (luatsubaochua.vn).</li><li>Luật số 66/2011/QH12 "
                        "(vietjack.me); Luật số 53/2024/QH15 (thuvienphapluat.vn); Luật số "
                        "59/2024/QH15 (hethongphapluat.com); Nghị định thư Palermo "
                        "(ungift.org).</li></ul>"
                    ),
                ),
            ],
        },
        {
            "title": "Phân biệt mại dâm và mua bán người",
            "slug": "phan-biet-mai-dam-va-mua-ban-nguoi",
            "estimated_minutes": 45,
            "body": [
                ("heading", "Vì sao cần phân biệt"),
                (
                    "paragraph",
                    (
                        "<p>Trong thực tiễn, cùng một vụ việc tại cơ sở kinh doanh dịch vụ có thể "
                        "chứa đựng nhiều loại vi phạm khác nhau: vi phạm hành chính về mua dâm, "
                        "bán dâm; tội chứa mại dâm, môi giới mại dâm; tội mua dâm người dưới 18 "
                        "tuổi; hoặc tội mua bán người vì mục đích mại dâm. Nếu nhận định sai, "
                        "người lẽ ra phải được bảo vệ như nạn nhân có thể bị xử phạt, còn người tổ "
                        "chức, hưởng lợi từ việc bóc lột lại chỉ bị xử lý nhẹ. Bài học này giúp "
                        "học viên nhận diện ranh giới giữa các trường hợp đó ngay từ lần tiếp xúc "
                        "đầu tiên.</p>"
                    ),
                ),
                ("heading", "1. Mua bán người theo Nghị định thư Palermo"),
                (
                    "paragraph",
                    (
                        "<p>Điều 3 Nghị định thư về phòng ngừa, trấn áp và trừng trị việc buôn bán "
                        "người (Nghị định thư Palermo) mô tả mua bán người qua ba yếu "
                        "tố:</p><ul><li><b>Hành vi:</b> như tuyển mộ, vận chuyển, chuyển giao, "
                        "chứa chấp hoặc tiếp nhận người;</li><li><b>Thủ đoạn:</b> như dùng vũ lực, "
                        "đe dọa, lừa gạt hoặc các thủ đoạn khác;</li><li><b>Mục đích:</b> bóc lột, "
                        "trong đó có bóc lột mại dâm người khác.</li></ul><p>Hai quy tắc của Điều "
                        "3 đặc biệt quan trọng với người làm công tác thực thi pháp luật. Thứ "
                        "nhất, khi người phạm tội đã dùng thủ đoạn bất hợp pháp, sự “đồng ý” của "
                        "nạn nhân không có giá trị. Thứ hai, đối với trẻ em (theo Nghị định thư là "
                        "người dưới 18 tuổi), không cần chứng minh yếu tố thủ đoạn. Việt Nam gia "
                        "nhập Nghị định thư năm 2012 (ungift.org).</p>"
                    ),
                ),
                ("legal_provision", "palermo_protocol_art3"),
                ("heading", "2. Quy định của pháp luật Việt Nam"),
                (
                    "paragraph",
                    (
                        "<p>Luật Phòng, chống mua bán người số 53/2024/QH15 (có hiệu lực từ ngày "
                        "01/7/2025) xác định người dưới 18 tuổi được coi là bị mua bán mà không "
                        "cần có yếu tố vũ lực hay lừa gạt. Luật cũng quy định những hành vi mà nạn "
                        "nhân thực hiện như hệ quả trực tiếp của việc bị mua bán có thể không bị "
                        "xử lý (Luật số 53/2024/QH15).</p><p>Trong Bộ luật Hình sự, tội mua bán "
                        "người dưới 16 tuổi (Điều 151) không đòi hỏi chứng minh thủ đoạn vũ lực, "
                        "đe dọa hay lừa gạt; hình phạt tù từ 07 năm đến 12 năm, từ 12 năm đến 20 "
                        "năm và từ 18 năm đến 20 năm hoặc tù chung thân (Bộ luật Hình sự, Điều "
                        "151). Đối với người mua dâm, nếu người bán dâm dưới 18 tuổi và người mua "
                        "từ đủ 18 tuổi trở lên, hành vi có thể cấu thành tội mua dâm người dưới 18 "
                        "tuổi (Bộ luật Hình sự, Điều 329).</p>"
                    ),
                ),
                ("legal_provision", "law_53_2024"),
                ("legal_provision", "penal_code_art151"),
                (
                    "callout",
                    {
                        "kind": "key_point",
                        "title": "So sánh nhanh",
                        "text": (
                            "<p>Ba tình huống thường gặp:</p><ul><li><b>Mua bán dâm giữa người "
                            "trưởng thành, không có dấu hiệu cưỡng ép, lừa gạt:</b> xử lý theo "
                            "Pháp lệnh năm 2003 và quy định xử phạt vi phạm hành chính; người chứa "
                            "chấp, môi giới có thể bị truy cứu theo Điều 327, Điều 328 Bộ luật "
                            "Hình sự.</li><li><b>Có vũ lực, đe dọa, lừa gạt nhằm bóc lột mại "
                            "dâm:</b> dấu hiệu mua bán người; sự “đồng ý” của nạn nhân không có "
                            "giá trị (Nghị định thư Palermo, Điều 3).</li><li><b>Người dưới 18 "
                            "tuổi:</b> luôn được coi là nạn nhân tiềm năng; không cần chứng minh "
                            "thủ đoạn để xác định là người bị mua bán (Luật số "
                            "53/2024/QH15).</li></ul>"
                        ),
                    },
                ),
                ("heading", "3. Dấu hiệu cần lưu ý khi tiếp xúc"),
                (
                    "paragraph",
                    (
                        "<p>Các dấu hiệu dưới đây tự chúng không chứng minh hành vi mua bán người, "
                        "nhưng là căn cứ để tiếp tục xác minh và chuyển vụ việc cho cơ quan có "
                        "thẩm quyền:</p><ul><li>người bán dâm có vẻ còn nhỏ tuổi, không có hoặc "
                        "không tự giữ giấy tờ tùy thân;</li><li>bị giữ giấy tờ, điện thoại; bị "
                        "buộc trả “nợ” tiền môi giới, tiền ăn ở, đi lại;</li><li>không được tự do "
                        "đi lại, liên lạc, hoặc luôn có người đi kèm, trả lời thay;</li><li>đã "
                        "được hứa hẹn một công việc khác trước khi đến cơ sở;</li><li>tiền công do "
                        "người khác nhận và quản lý;</li><li>có biểu hiện sợ hãi, bị đe dọa, hoặc "
                        "không biết mình đang ở địa phương nào.</li></ul>"
                    ),
                ),
                ("heading", "Tình huống nghiên cứu"),
                (
                    "content_warning",
                    {
                        "warning": (
                            "Phần dưới đây là lời kể (giả định) của một nạn nhân dưới 18 tuổi về "
                            "việc bị lừa đưa vào hoạt động mại dâm. Không có mô tả chi tiết về "
                            "tình dục. Anh/chị có thể bỏ qua phần này; tóm tắt tình huống bên dưới "
                            "đủ để trả lời các câu hỏi thảo luận."
                        ),
                        "content": (
                            "<p>Em M. kể rằng em nghỉ học để đi làm giúp gia đình. Một người quen "
                            "trên mạng xã hội hứa giới thiệu em vào làm phục vụ nhà hàng ở thành "
                            "phố với mức lương cao và lo toàn bộ chi phí đi lại. Khi đến nơi, em "
                            "bị đưa tới cơ sở karaoke X, bị thu điện thoại và căn cước, rồi được "
                            "thông báo rằng em đang “nợ” tiền xe, tiền ăn ở và phải “tiếp khách” "
                            "để trả nợ.</p><p>Em đã xin về nhà nhưng bị quản lý quát mắng và dọa "
                            "sẽ gửi ảnh của em cho gia đình, bạn bè. Em không được ra ngoài một "
                            "mình, không biết địa chỉ nơi đang ở, nhiều đêm không ngủ được vì sợ "
                            "hãi và nghĩ rằng mình sẽ bị công an bắt nếu kể lại sự việc.</p>"
                        ),
                    },
                ),
                (
                    "case_study",
                    {
                        "title": "Kiểm tra đột xuất tại cơ sở karaoke X",
                        "scenario": (
                            "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                            "đổi.</i></p><p>Trong một lần kiểm tra đột xuất tại cơ sở karaoke X "
                            "thuộc tỉnh Y, Đội kiểm tra liên ngành phát hiện hai người đang ở "
                            "trong phòng hát cùng khách với dấu hiệu mua bán dâm. Chị H. (24 tuổi) "
                            "khai rằng mình “tự nguyện” làm việc tại đây, nhưng giấy tờ tùy thân "
                            "của chị do quản lý cơ sở giữ và chị cho biết còn “nợ” chủ cơ sở một "
                            "khoản tiền. Em M. (15 tuổi) không có giấy tờ tùy thân, khai rằng mình "
                            "được hứa làm phục vụ nhà hàng, bị giữ điện thoại và bị buộc “tiếp "
                            "khách” để trả nợ. Trong suốt buổi kiểm tra, quản lý cơ sở liên tục "
                            "tìm cách trả lời thay hai người.</p>"
                        ),
                        "questions": [
                            (
                                "Để xác định em M. là người bị mua bán, có cần chứng minh em bị "
                                "lừa gạt hay cưỡng ép không? Nêu căn cứ (Luật số 53/2024/QH15; Bộ "
                                "luật Hình sự, Điều 151; Nghị định thư Palermo, Điều 3)."
                            ),
                            (
                                "Lời khai “tự nguyện” của chị H. có đủ để kết luận đây chỉ là vi "
                                "phạm hành chính không? Những dấu hiệu nào cần tiếp tục xác minh?"
                            ),
                            (
                                "Ngay tại hiện trường, Đội kiểm tra cần làm gì để bảo đảm an toàn "
                                "cho em M. và chị H., tách họ khỏi quản lý cơ sở và chuyển vụ việc "
                                "cho cơ quan điều tra?"
                            ),
                            (
                                "Khi lập biên bản, cần dùng những thuật ngữ nào để mô tả em M. và "
                                "chị H. phù hợp với cách tiếp cận lấy nạn nhân làm trung tâm?"
                            ),
                        ],
                    },
                ),
                ("heading", "Nguồn tham khảo"),
                (
                    "paragraph",
                    (
                        "<ul><li>Nghị định thư Palermo, Điều 3 (ungift.org).</li><li>Luật Phòng, "
                        "chống mua bán người số 53/2024/QH15 (thuvienphapluat.vn; "
                        "dbndnghean.vn).</li><li>Bộ luật Hình sự: Điều 151 (luatsubaochua.vn); "
                        "Điều 329 (Công báo số 779-780/2017).</li></ul>"
                    ),
                ),
            ],
        },
        {
            "title": "Chương trình phòng, chống mại dâm 2016-2020 và 2021-2025",
            "slug": "chuong-trinh-phong-chong-mai-dam-361-va-1629",
            "estimated_minutes": 30,
            "body": [
                ("heading", "1. Chương trình giai đoạn 2016-2020 (Quyết định 361/QĐ-TTg)"),
                (
                    "paragraph",
                    (
                        "<p>Chương trình Phòng, chống mại dâm giai đoạn 2016-2020 được ban hành "
                        "kèm theo Quyết định số 361/QĐ-TTg ngày 07/3/2016 của Thủ tướng Chính phủ "
                        "(Quyết định 361/QĐ-TTg). Chương trình có bốn mục tiêu cụ "
                        "thể:</p><ol><li>Tăng cường tuyên truyền, phổ biến, giáo dục pháp luật và "
                        "nâng cao nhận thức về phòng, chống mại dâm.</li><li>Đẩy mạnh các hoạt "
                        "động phòng ngừa mại dâm thông qua lồng ghép các chương trình kinh tế - xã "
                        "hội tại địa bàn cơ sở.</li><li>Xây dựng, triển khai các hoạt động can "
                        "thiệp giảm tác hại, dự phòng lây nhiễm các bệnh xã hội và HIV/AIDS; phòng "
                        "ngừa, giảm tình trạng bạo lực trên cơ sở giới trong phòng, chống mại "
                        "dâm.</li><li>Đấu tranh, xử lý nghiêm minh các hành vi vi phạm pháp luật, "
                        "tội phạm liên quan đến mại dâm.</li></ol><p>Bốn mục tiêu cho thấy Chương "
                        "trình không chỉ dựa vào biện pháp xử lý, mà kết hợp phòng ngừa từ cơ sở, "
                        "bảo vệ sức khỏe, bảo đảm quyền của người bán dâm và xử lý nghiêm minh "
                        "người vi phạm.</p>"
                    ),
                ),
                ("legal_provision", "decision_361_2016"),
                ("heading", "2. Ba mô hình thí điểm thuộc mục tiêu thứ ba"),
                (
                    "paragraph",
                    (
                        "<p>Để thực hiện mục tiêu thứ ba, Chương trình xây dựng thử nghiệm 03 mô "
                        "hình (Quyết định 361/QĐ-TTg):</p><ul><li><b>Mô hình thứ nhất – cung cấp "
                        "dịch vụ hỗ trợ cho người bán dâm tại cộng đồng và tại Trung tâm công tác "
                        "xã hội:</b> xây dựng tiêu chí lựa chọn địa phương thí điểm; đào tạo đội "
                        "ngũ cán bộ về phương pháp tiếp cận, cung cấp dịch vụ hỗ trợ đối với người "
                        "bán dâm; lựa chọn và thử nghiệm các dịch vụ hỗ trợ phù hợp.</li><li><b>Mô "
                        "hình thứ hai – hỗ trợ bảo đảm quyền của người lao động trong các cơ sở "
                        "kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm:</b> rà soát, đánh giá "
                        "việc thực hiện chính sách, pháp luật về điều kiện làm việc và lao động "
                        "tại các cơ sở kinh doanh dịch vụ có điều kiện; xây dựng tài liệu hướng "
                        "dẫn; can thiệp tại địa bàn thí điểm, đánh giá và nhân rộng mô "
                        "hình.</li><li><b>Mô hình thứ ba – tăng cường năng lực cho nhóm đồng đẳng, "
                        "nhóm tự lực, câu lạc bộ của người bán dâm:</b> hỗ trợ các nhóm xây dựng "
                        "kế hoạch và điều hành hoạt động; tổ chức đối thoại giữa các nhóm với cơ "
                        "quan thực thi chính sách; tập huấn cho các cơ quan liên quan về quyền và "
                        "trách nhiệm của các bên trong phòng, chống bạo lực trên cơ sở giới đối "
                        "với người bán dâm.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "key_point",
                        "title": "Ý nghĩa đối với lực lượng thực thi pháp luật",
                        "text": (
                            "<p>Mô hình thứ ba đặt ra yêu cầu trực tiếp đối với cơ quan thực thi "
                            "pháp luật: đối thoại với các nhóm của người bán dâm và hiểu rõ trách "
                            "nhiệm phòng, chống bạo lực trên cơ sở giới đối với nhóm này. Người "
                            "bán dâm cũng có thể là nạn nhân của bạo lực, bóc lột; thái độ tôn "
                            "trọng của cán bộ giúp họ dám trình báo và hợp tác với cơ quan chức "
                            "năng.</p>"
                        ),
                    },
                ),
                ("heading", "3. Nhiệm vụ đấu tranh, xử lý vi phạm (mục tiêu thứ tư)"),
                (
                    "paragraph",
                    (
                        "<p>Mục tiêu thứ tư nhằm phát hiện và xử lý nghiêm minh các hành vi vi "
                        "phạm pháp luật, tội phạm liên quan đến mại dâm, với các nhiệm vụ chính "
                        "(Quyết định 361/QĐ-TTg):</p><ul><li>xây dựng tài liệu, tổ chức các khóa "
                        "tập huấn nâng cao năng lực cho thành viên Đội kiểm tra liên ngành, lực "
                        "lượng điều tra, kiểm sát viên, thẩm phán, hội thẩm trong công tác kiểm "
                        "tra, điều tra, truy tố, xét xử các vụ án liên quan đến mại "
                        "dâm;</li><li>điều tra cơ bản, áp dụng các biện pháp nghiệp vụ tập trung "
                        "vào các tuyến, địa bàn trọng điểm;</li><li>thu thập, tiếp nhận, xác minh "
                        "các nguồn tin báo, tố giác về tội phạm liên quan đến mại "
                        "dâm;</li><li>điều tra, khám phá vụ án, triệt phá các tổ chức tội phạm, "
                        "giải cứu nạn nhân; nâng cao hiệu quả kiểm tra, giám sát từ cấp cơ "
                        "sở;</li><li>thực hành quyền công tố, kiểm sát tin báo, tố giác, kiểm sát "
                        "điều tra, kiểm sát xét xử;</li><li>xét xử nghiêm minh và có biện pháp bảo "
                        "vệ nạn nhân trong quá trình truy tố, xét xử các vụ án mua bán người vì "
                        "mục đích mại dâm, nhất là nạn nhân là trẻ em.</li></ul><p>Khóa học này là "
                        "một phần của việc thực hiện nhiệm vụ đầu tiên nêu trên.</p>"
                    ),
                ),
                ("heading", "4. Chương trình giai đoạn 2021-2025 (Quyết định 1629/QĐ-TTg)"),
                (
                    "paragraph",
                    (
                        "<p>Chương trình Phòng, chống mại dâm giai đoạn 2021-2025 được phê duyệt "
                        "tại Quyết định số 1629/QĐ-TTg ngày 28/9/2021, tiếp nối Chương trình giai "
                        "đoạn 2016-2020. Một số chỉ tiêu đáng chú ý (Quyết định "
                        "1629/QĐ-TTg):</p><ul><li>ít nhất 70% xã, phường, thị trấn tổ chức các "
                        "hoạt động truyền thông, nâng cao nhận thức về phòng, chống mại "
                        "dâm;</li><li>ít nhất 20% cơ sở kinh doanh dịch vụ có nguy cơ phát sinh tệ "
                        "nạn mại dâm được kiểm tra.</li></ul><p>Chương trình tiếp tục huy động sự "
                        "tham gia của nhóm đồng đẳng, nhóm tự lực và câu lạc bộ của người bán dâm, "
                        "tiếp nối định hướng của mô hình thứ ba trong Chương trình giai đoạn "
                        "trước.</p>"
                    ),
                ),
                ("legal_provision", "decision_1629_2021"),
                (
                    "callout",
                    {
                        "kind": "caution",
                        "title": "Cập nhật văn bản chỉ đạo",
                        "text": (
                            "<p>Giai đoạn của Chương trình theo Quyết định 1629/QĐ-TTg kết thúc "
                            "vào năm 2025; việc phân công cơ quan chủ trì quản lý nhà nước về "
                            "phòng, chống mại dâm cũng có thể thay đổi theo việc sắp xếp tổ chức "
                            "bộ máy. Khi lập kế hoạch công tác, cần căn cứ văn bản chỉ đạo đang có "
                            "hiệu lực tại thời điểm thực hiện.</p>"
                        ),
                    },
                ),
                ("heading", "Câu hỏi suy ngẫm"),
                (
                    "paragraph",
                    (
                        "<ol><li>Bốn mục tiêu của Chương trình 361 là gì? Mục tiêu nào liên quan "
                        "trực tiếp đến công việc của anh/chị?</li><li>Vì sao Chương trình đặt hoạt "
                        "động giảm tác hại và phòng, chống bạo lực trên cơ sở giới bên cạnh hoạt "
                        "động xử lý vi phạm?</li><li>Tại địa phương anh/chị, chỉ tiêu kiểm tra cơ "
                        "sở kinh doanh dịch vụ có nguy cơ đã được thực hiện như thế nào, và kết "
                        "quả kiểm tra được chia sẻ với những cơ quan nào?</li></ol>"
                    ),
                ),
                ("heading", "Nguồn tham khảo"),
                (
                    "paragraph",
                    (
                        "<ul><li>Quyết định số 361/QĐ-TTg ngày 07/3/2016 (caselaw.vn); bài viết "
                        "“Xây dựng thử nghiệm 3 mô hình phòng chống mại dâm giai đoạn 2016-2020” "
                        "(tài liệu gốc của chương trình đào tạo).</li><li>Quyết định số "
                        "1629/QĐ-TTg ngày 28/9/2021 (english.luatvietnam.vn).</li></ul>"
                    ),
                ),
            ],
        },
        {
            "title": "Phối hợp liên ngành trong phòng, chống mại dâm",
            "slug": "phoi-hop-lien-nganh-phong-chong-mai-dam",
            "estimated_minutes": 35,
            "body": [
                ("heading", "1. Vì sao phải phối hợp"),
                (
                    "paragraph",
                    (
                        "<p>Một vụ việc liên quan đến mại dâm thường đi qua nhiều cơ quan: bắt đầu "
                        "từ một lần kiểm tra của Đội kiểm tra liên ngành hoặc một tin báo, tố "
                        "giác; tiếp đến cơ quan điều tra, viện kiểm sát, tòa án; song song là sự "
                        "tham gia của cán bộ công tác xã hội, y tế để hỗ trợ nạn nhân. Chương "
                        "trình 361 giao nhiệm vụ cho từng lực lượng và yêu cầu tổ chức tập huấn "
                        "chung cho thành viên Đội kiểm tra liên ngành, lực lượng điều tra, kiểm "
                        "sát viên, thẩm phán và hội thẩm (Quyết định 361/QĐ-TTg). Nếu một mắt xích "
                        "xử lý không tốt, chứng cứ có thể bị mất, nạn nhân có thể bị tổn thương "
                        "thêm hoặc không còn muốn hợp tác, và người tổ chức có thể thoát khỏi "
                        "trách nhiệm.</p>"
                    ),
                ),
                ("heading", "2. Vai trò của từng lực lượng"),
                (
                    "paragraph",
                    (
                        "<ul><li><b>Đội kiểm tra liên ngành:</b> kiểm tra theo kế hoạch hoặc đột "
                        "xuất các cơ sở kinh doanh dịch vụ có nguy cơ; lập biên bản, xử phạt vi "
                        "phạm hành chính theo thẩm quyền; phát hiện dấu hiệu tội phạm, nhận diện "
                        "nạn nhân tiềm năng và chuyển vụ việc.</li><li><b>Lực lượng điều tra:</b> "
                        "thu thập, tiếp nhận, xác minh tin báo, tố giác; điều tra, khám phá vụ án, "
                        "triệt phá tổ chức tội phạm, giải cứu nạn nhân.</li><li><b>Viện kiểm "
                        "sát:</b> thực hành quyền công tố, kiểm sát việc giải quyết tin báo, tố "
                        "giác, kiểm sát điều tra và kiểm sát xét xử.</li><li><b>Tòa án (thẩm phán, "
                        "hội thẩm):</b> xét xử nghiêm minh, áp dụng các biện pháp bảo vệ nạn nhân "
                        "trong quá trình xét xử, nhất là nạn nhân dưới 18 tuổi.</li><li><b>Cán bộ "
                        "công tác xã hội, y tế:</b> cung cấp dịch vụ hỗ trợ cho người bán dâm tại "
                        "cộng đồng và tại Trung tâm công tác xã hội; hỗ trợ nạn nhân về an toàn, "
                        "sức khỏe, tâm lý và tái hòa nhập.</li><li><b>Nhóm đồng đẳng, nhóm tự lực, "
                        "câu lạc bộ của người bán dâm:</b> là kênh tiếp cận, truyền thông và đối "
                        "thoại với cơ quan thực thi chính sách.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "caution",
                        "title": "Đúng thẩm quyền",
                        "text": (
                            "<p>Mỗi cơ quan chỉ áp dụng các biện pháp trong phạm vi thẩm quyền của "
                            "mình. Khi phát hiện dấu hiệu tội phạm, Đội kiểm tra liên ngành không "
                            "tự tiến hành các hoạt động thuộc thẩm quyền điều tra mà bảo vệ hiện "
                            "trường, tài liệu và chuyển ngay tin báo cho cơ quan có thẩm quyền.</p>"
                        ),
                    },
                ),
                ("heading", "3. Chuyển gửi: từ phát hiện đến bảo vệ"),
                (
                    "paragraph",
                    (
                        "<ol><li><b>Phát hiện và bảo đảm an toàn:</b> khi có dấu hiệu người dưới "
                        "18 tuổi trong hoạt động mại dâm, dấu hiệu cưỡng ép, lừa gạt, hoặc dấu "
                        "hiệu chứa, môi giới mại dâm, ưu tiên bảo đảm an toàn cho người có thể là "
                        "nạn nhân, tách họ khỏi người quản lý cơ sở.</li><li><b>Ghi nhận ban đầu ở "
                        "mức tối thiểu:</b> chỉ ghi nhận thông tin cần thiết; không hỏi chi tiết "
                        "nhiều lần, nhất là với người dưới 18 tuổi, vì pháp luật yêu cầu hạn chế "
                        "tối đa số lần lấy lời khai (Luật số 59/2024/QH15, Điều "
                        "156).</li><li><b>Thông báo kịp thời:</b> chuyển tin báo và tài liệu ban "
                        "đầu cho cơ quan điều tra có thẩm quyền; bảo quản tài liệu, đồ vật có liên "
                        "quan.</li><li><b>Kết nối hỗ trợ:</b> liên hệ cán bộ công tác xã hội, y tế "
                        "để đáp ứng nhu cầu khẩn cấp như chỗ ở an toàn, chăm sóc sức khỏe, liên "
                        "lạc với gia đình khi phù hợp.</li><li><b>Bảo mật và phản hồi:</b> chỉ "
                        "chia sẻ thông tin về nạn nhân trong phạm vi cần thiết cho việc giải quyết "
                        "vụ việc; không tiết lộ khi chưa có sự đồng ý của nạn nhân, trừ trường hợp "
                        "luật có quy định khác (Luật số 53/2024/QH15). Các cơ quan thông báo lại "
                        "cho nhau kết quả xử lý.</li></ol>"
                    ),
                ),
                ("legal_provision", "law_59_2024_art156"),
                (
                    "callout",
                    {
                        "kind": "key_point",
                        "title": "Hạn chế việc nạn nhân phải kể lại nhiều lần",
                        "text": (
                            "<p>Mỗi lần phải kể lại sự việc là một lần nạn nhân có thể bị tổn "
                            "thương thêm. Luật Tư pháp người chưa thành niên cho phép ghi âm, ghi "
                            "hình và yêu cầu hạn chế tối đa số lần lấy lời khai người dưới 18 tuổi "
                            "là bị hại (Luật số 59/2024/QH15, Điều 156). Các cơ quan cần phối hợp "
                            "để lời khai được thu thập đúng thủ tục ngay từ đầu, tránh việc phải "
                            "lấy lời khai lại chỉ vì thiếu sót thủ tục.</p>"
                        ),
                    },
                ),
                (
                    "case_study",
                    {
                        "title": "Tin báo về cơ sở xoa bóp Z",
                        "scenario": (
                            "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                            "đổi.</i></p><p>Công an xã nhận được tin báo qua đường dây nóng rằng "
                            "tại cơ sở xoa bóp Z có người dưới 18 tuổi làm việc và có dấu hiệu mua "
                            "bán dâm. Đội kiểm tra liên ngành dự kiến kiểm tra cơ sở này vào tuần "
                            "sau theo kế hoạch. Cùng thời gian, một cán bộ Trung tâm công tác xã "
                            "hội cho biết chị L., thành viên một câu lạc bộ của người bán dâm tại "
                            "địa phương, kể rằng một số nhân viên mới ở cơ sở Z “còn rất nhỏ tuổi, "
                            "không được ra ngoài”. Chị L. đề nghị không công khai tên mình vì lo "
                            "sợ bị trả thù.</p>"
                        ),
                        "questions": [
                            (
                                "Tin báo có dấu hiệu tội phạm liên quan đến người dưới 18 tuổi: "
                                "nên chờ đến đợt kiểm tra theo kế hoạch hay chuyển ngay cho cơ "
                                "quan có thẩm quyền? Vì sao?"
                            ),
                            (
                                "Những ai cần được biết thông tin do chị L. cung cấp, ở mức độ "
                                "nào, để vừa giải quyết được vụ việc vừa bảo vệ được chị L.?"
                            ),
                            (
                                "Cán bộ công tác xã hội và các lực lượng cần chuẩn bị gì trước khi "
                                "tiếp cận để, nếu phát hiện nạn nhân dưới 18 tuổi, các em được hỗ "
                                "trợ ngay và không phải kể lại sự việc nhiều lần?"
                            ),
                        ],
                    },
                ),
                ("heading", "4. Nguyên tắc phối hợp"),
                (
                    "paragraph",
                    (
                        "<ul><li><b>Đầu mối rõ ràng:</b> mỗi cơ quan xác định người liên hệ cho "
                        "các vụ việc liên quan đến mại dâm và mua bán người.</li><li><b>Kịp "
                        "thời:</b> dấu hiệu tội phạm, nhất là liên quan đến người dưới 18 tuổi, "
                        "phải được chuyển ngay, không chờ đến đợt kiểm tra tiếp "
                        "theo.</li><li><b>Đúng thẩm quyền:</b> mỗi cơ quan làm đúng việc của mình "
                        "và tôn trọng thẩm quyền của cơ quan khác.</li><li><b>Bảo mật:</b> thông "
                        "tin về nạn nhân và người cung cấp tin chỉ được chia sẻ trong phạm vi cần "
                        "thiết.</li><li><b>Cùng học, cùng rút kinh nghiệm:</b> tập huấn chung theo "
                        "Chương trình 361 giúp các lực lượng hiểu yêu cầu nghiệp vụ của nhau; sau "
                        "mỗi vụ việc, nên trao đổi để rút kinh nghiệm.</li></ul>"
                    ),
                ),
                ("heading", "Nguồn tham khảo"),
                (
                    "paragraph",
                    (
                        "<ul><li>Quyết định số 361/QĐ-TTg ngày 07/3/2016 "
                        "(caselaw.vn).</li><li>Luật Tư pháp người chưa thành niên số 59/2024/QH15, "
                        "Điều 156 (hethongphapluat.com).</li><li>Luật Phòng, chống mua bán người "
                        "số 53/2024/QH15 (thuvienphapluat.vn).</li></ul>"
                    ),
                ),
            ],
        },
        {
            "title": "Tiếp cận lấy nạn nhân làm trung tâm",
            "slug": "tiep-can-lay-nan-nhan-lam-trung-tam",
            "estimated_minutes": 40,
            "body": [
                ("heading", "1. Thế nào là tiếp cận lấy nạn nhân làm trung tâm"),
                (
                    "paragraph",
                    (
                        "<p>Tiếp cận lấy nạn nhân làm trung tâm nghĩa là mọi quyết định trong quá "
                        "trình phát hiện, điều tra, truy tố, xét xử đều cân nhắc đến an toàn, "
                        "quyền, nhu cầu và ý kiến của nạn nhân. Đây không phải là sự nhân nhượng "
                        "với người phạm tội: một nạn nhân được tôn trọng và cảm thấy an toàn sẽ có "
                        "khả năng cung cấp thông tin đầy đủ, chính xác hơn, giúp xử lý vụ án hiệu "
                        "quả hơn. Luật Phòng, chống mua bán người số 53/2024/QH15 khẳng định cách "
                        "tiếp cận này, đồng thời nghiêm cấm kỳ thị nạn nhân và tiết lộ thông tin "
                        "về nạn nhân khi chưa có sự đồng ý của họ (Luật số 53/2024/QH15).</p>"
                    ),
                ),
                ("legal_provision", "law_53_2024"),
                ("heading", "2. Ngôn ngữ tôn trọng, không kỳ thị"),
                (
                    "paragraph",
                    (
                        "<p>Ngôn từ trong biên bản, kết luận điều tra, cáo trạng, bản án và trong "
                        "giao tiếp hằng ngày phản ánh thái độ của cơ quan nhà nước. Cần dùng thuật "
                        "ngữ trung tính, chính xác:</p><ul><li>dùng “người bán dâm”, không dùng từ "
                        "lóng hoặc từ ngữ miệt thị;</li><li>dùng “nạn nhân”, “người bị mua bán” "
                        "khi có dấu hiệu mua bán người;</li><li>với người dưới 18 tuổi, dùng "
                        "“người dưới 18 tuổi bị mua dâm”, “người chưa thành niên bị bóc lột tình "
                        "dục”, không dùng cách nói ngụ ý các em tự nguyện “bán dâm”;</li><li>không "
                        "nhận xét về đạo đức, ngoại hình, quá khứ của nạn nhân khi điều đó không "
                        "cần thiết cho việc giải quyết vụ việc.</li></ul>"
                    ),
                ),
                ("heading", "3. Nguyên tắc “Không gây hại”"),
                (
                    "paragraph",
                    (
                        "<p>Khuyến nghị về đạo đức và an toàn khi phỏng vấn phụ nữ bị mua bán của "
                        "Tổ chức Y tế Thế giới (WHO, 2003) gồm mười nguyên tắc; nguyên tắc đầu "
                        "tiên là <b>“Không gây hại”</b>: coi mỗi cuộc tiếp xúc đều có thể gây nguy "
                        "hiểm cho nạn nhân và không tiến hành cuộc phỏng vấn nào có thể làm tình "
                        "trạng của họ xấu đi. Các nguyên tắc khác bao gồm bảo đảm sự đồng ý trên "
                        "cơ sở được thông tin đầy đủ và giữ bí mật thông tin (WHO, 2003). Trong "
                        "thực tế công tác, điều này có nghĩa là:</p><ul><li>đánh giá nguy cơ (bị "
                        "trả thù, bị lộ danh tính, bị tổn thương tâm lý) trước mỗi lần tiếp "
                        "xúc;</li><li>giải thích rõ mục đích, quyền của nạn nhân và việc thông tin "
                        "sẽ được sử dụng như thế nào;</li><li>chuẩn bị sẵn thông tin chuyển gửi "
                        "đến các dịch vụ hỗ trợ;</li><li>cho phép nạn nhân nghỉ, tạm dừng khi cần "
                        "và quan sát các dấu hiệu căng thẳng.</li></ul><p>Mô hình phỏng vấn PEACE "
                        "trong Cẩm nang của UNODC (2009) dành cho người làm công tác tư pháp hình "
                        "sự sẽ được trình bày trong khóa học dành cho điều tra viên.</p>"
                    ),
                ),
                ("heading", "4. Bảo vệ người dưới 18 tuổi trong tố tụng"),
                (
                    "paragraph",
                    (
                        "<p>Luật Tư pháp người chưa thành niên số 59/2024/QH15, có hiệu lực từ "
                        "ngày 01/01/2026, quy định tại Điều 156 các bảo đảm khi lấy lời khai người "
                        "dưới 18 tuổi là bị hại (Luật số 59/2024/QH15, Điều 156):</p><ul><li>lấy "
                        "lời khai tại địa điểm thân thiện;</li><li>có thể ghi âm, ghi "
                        "hình;</li><li>hạn chế tối đa số lần lấy lời khai; không quá 2 lần trong "
                        "một ngày, mỗi lần không quá 2 giờ;</li><li>không đối chất với người bị "
                        "buộc tội, trừ trường hợp không thể tránh khỏi.</li></ul><p>Tại phiên tòa, "
                        "vụ án có bị hại dưới 18 tuổi bị xâm hại tình dục hoặc bị mua bán được xét "
                        "xử kín, tuyên án công khai; tòa án tổ chức phòng xử án thân thiện. Hành "
                        "vi sử dụng người dưới 16 tuổi vào mục đích mại dâm được coi là xâm hại "
                        "tình dục (Nghị quyết số 06/2019/NQ-HĐTP; Thông tư số 02/2018/TT-TANDTC; "
                        "Thông tư liên tịch số 06/2018).</p>"
                    ),
                ),
                ("legal_provision", "law_59_2024_art156"),
                ("legal_provision", "juvenile_trial_guidance_2019"),
                ("heading", "5. Bảo mật thông tin và nguyên tắc không trừng phạt"),
                (
                    "paragraph",
                    (
                        "<p>Thông tin về nạn nhân – họ tên, hình ảnh, nơi ở, nơi làm việc, trường "
                        "học và mọi chi tiết có thể giúp người khác nhận ra họ – chỉ được chia sẻ "
                        "trong phạm vi cần thiết. Pháp luật nghiêm cấm tiết lộ thông tin về nạn "
                        "nhân khi chưa có sự đồng ý của họ, trừ trường hợp luật có quy định khác "
                        "(Luật số 53/2024/QH15).</p><p>Theo nguyên tắc không trừng phạt, nạn nhân "
                        "không nên bị xử lý về những hành vi là hệ quả trực tiếp của việc bị mua "
                        "bán, chẳng hạn việc tham gia hoạt động mại dâm do bị cưỡng ép. Luật năm "
                        "2024 ghi nhận các hành vi này có thể không bị xử lý (Luật số "
                        "53/2024/QH15; UNODC, Bộ công cụ phòng, chống buôn bán người, chương "
                        "6).</p>"
                    ),
                ),
                ("heading", "Tình huống nghiên cứu"),
                (
                    "content_warning",
                    {
                        "warning": (
                            "Phần dưới đây mô tả (giả định) những tổn thương mà một bị hại dưới 18 "
                            "tuổi phải chịu trong quá trình tố tụng. Không có mô tả chi tiết về "
                            "hành vi xâm hại. Anh/chị có thể bỏ qua phần này; tóm tắt tình huống "
                            "bên dưới đủ để trả lời các câu hỏi thảo luận."
                        ),
                        "content": (
                            "<p>Em K. là bị hại trong một vụ án mua bán người vì mục đích mại dâm. "
                            "Trong một tuần, em được mời làm việc ba lần, mỗi lần do một cán bộ "
                            "khác hỏi và em phải kể lại từ đầu những gì đã xảy ra; có buổi kéo dài "
                            "gần hết buổi chiều. Tại một buổi, người quản lý cơ sở – người từng đe "
                            "dọa em – được đưa vào cùng phòng để đối chất.</p><p>Sau buổi đó, em "
                            "liên tục khóc, bỏ ăn và nói với cán bộ công tác xã hội rằng em “không "
                            "muốn nói gì nữa”. Vài ngày sau, một bức ảnh chụp em ở trụ sở cơ quan "
                            "bị lan truyền trên mạng xã hội kèm những bình luận xúc phạm; em không "
                            "dám quay lại trường học.</p>"
                        ),
                    },
                ),
                (
                    "case_study",
                    {
                        "title": "Những buổi lấy lời khai của em K.",
                        "scenario": (
                            "<p><i>Tình huống giả định; mọi tên gọi, địa danh đều đã được thay "
                            "đổi.</i></p><p>Em K. (14 tuổi) là bị hại trong một vụ án mua bán "
                            "người vì mục đích mại dâm đang được giải quyết tại tỉnh P. Trong một "
                            "tuần, em bị lấy lời khai nhiều lần bởi các cán bộ khác nhau, có buổi "
                            "kéo dài nhiều giờ, và em bị đưa vào đối chất trực tiếp với người quản "
                            "lý cơ sở. Ảnh của em bị lan truyền trên mạng xã hội. Hiện em từ chối "
                            "tiếp tục làm việc với cơ quan chức năng.</p>"
                        ),
                        "questions": [
                            (
                                "Những yêu cầu nào tại Điều 156 Luật Tư pháp người chưa thành niên "
                                "đã không được bảo đảm trong tình huống này?"
                            ),
                            (
                                "Việc lộ ảnh của em K. vi phạm quy định nào của Luật Phòng, chống "
                                "mua bán người năm 2024? Cơ quan tiến hành tố tụng cần làm gì ngay?"
                            ),
                            (
                                "Nếu được làm lại từ đầu, các cơ quan nên phối hợp thế nào để có "
                                "lời khai đầy đủ mà em K. chỉ phải kể lại ít lần nhất?"
                            ),
                            (
                                "Khi đưa vụ án ra xét xử, cần áp dụng hình thức xét xử nào và bố "
                                "trí phòng xử án ra sao?"
                            ),
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "key_point",
                        "title": "Năm câu hỏi trước mỗi lần tiếp xúc với nạn nhân",
                        "text": (
                            "<ol><li>Cuộc tiếp xúc này có thực sự cần thiết không?</li><li>Nạn "
                            "nhân có an toàn khi tham gia không?</li><li>Nạn nhân đã được giải "
                            "thích đầy đủ và đồng ý chưa?</li><li>Thông tin thu được sẽ được bảo "
                            "mật như thế nào?</li><li>Sau cuộc tiếp xúc, nạn nhân được chuyển gửi "
                            "đến đâu để được hỗ trợ?</li></ol>"
                        ),
                    },
                ),
                ("heading", "Nguồn tham khảo"),
                (
                    "paragraph",
                    (
                        "<ul><li>Luật Phòng, chống mua bán người số 53/2024/QH15 "
                        "(thuvienphapluat.vn; dbndnghean.vn).</li><li>Luật Tư pháp người chưa "
                        "thành niên số 59/2024/QH15, Điều 156 (hethongphapluat.com).</li><li>Nghị "
                        "quyết số 06/2019/NQ-HĐTP; Thông tư số 02/2018/TT-TANDTC; Thông tư liên "
                        "tịch số 06/2018 (rule.vn; nhanchinh.vn).</li><li>WHO, Khuyến nghị về đạo "
                        "đức và an toàn khi phỏng vấn phụ nữ bị mua bán, 2003 "
                        "(lastradainternational.org).</li><li>UNODC, Cẩm nang phòng, chống buôn "
                        "bán người dành cho người làm công tác tư pháp hình sự, 2009 (unodc.org); "
                        "UNODC, Bộ công cụ, chương 6; tài liệu tóm tắt của ICAT "
                        "(iom.int).</li></ul>"
                    ),
                ),
            ],
        },
    ],
}

PLACEHOLDER_COURSES = [
    {
        "code": "PCMD-201",
        "title": "Nghiệp vụ của Đội kiểm tra liên ngành phòng, chống mại dâm",
        "summary": (
            "Kỹ năng kiểm tra cơ sở kinh doanh dịch vụ có nguy cơ, lập biên bản vi phạm hành chính "
            "và nhận diện, chuyển gửi nạn nhân tiềm năng."
        ),
        "target_job_roles": ["inspection_team_member"],
        "estimated_hours": 3,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-201-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung:</p><ul><li>cơ sở pháp lý của "
                            "Đội kiểm tra liên ngành: Nghị định số 178/2004/NĐ-CP và Thông tư số "
                            "05/2006/TT-BLĐTBXH;</li><li>kiểm tra theo kế hoạch và kiểm tra đột "
                            "xuất các cơ sở kinh doanh dịch vụ có nguy cơ;</li><li>lập biên bản vi "
                            "phạm hành chính và xử phạt theo thẩm quyền (Nghị định số "
                            "282/2025/NĐ-CP);</li><li>nhận diện nạn nhân tiềm năng, nhất là người "
                            "dưới 18 tuổi, và chuyển vụ việc cho cơ quan có thẩm quyền.</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "code": "PCMD-202",
        "title": "Điều tra các vụ án liên quan đến mại dâm và mua bán người",
        "summary": (
            "Dấu hiệu pháp lý của các tội phạm liên quan đến mại dâm và mua bán người; kỹ năng lấy "
            "lời khai thân thiện với nạn nhân."
        ),
        "target_job_roles": ["investigator"],
        "estimated_hours": 4,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-202-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung:</p><ul><li>dấu hiệu pháp lý của "
                            "tội chứa mại dâm, môi giới mại dâm và mua dâm người dưới 18 tuổi (Bộ "
                            "luật Hình sự, các Điều 327, 328, 329);</li><li>dấu hiệu của hành vi "
                            "mua bán người, trong đó có tội mua bán người dưới 16 tuổi (Bộ luật "
                            "Hình sự, Điều 151);</li><li>lấy lời khai thân thiện với người dưới 18 "
                            "tuổi (Luật số 59/2024/QH15, Điều 156);</li><li>mô hình phỏng vấn "
                            "PEACE (UNODC, 2009): lập kế hoạch và chuẩn bị (Plan and prepare); "
                            "tiếp cận và giải thích (Engage and explain); nghe lời kể (Account); "
                            "kết thúc (Closure); đánh giá (Evaluate).</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "code": "PCMD-203",
        "title": "Thực hành quyền công tố trong các vụ án liên quan đến mại dâm",
        "summary": (
            "Truy tố đúng tội danh, xây dựng chứng cứ không chỉ dựa vào lời khai của nạn nhân và "
            "áp dụng nguyên tắc không trừng phạt nạn nhân."
        ),
        "target_job_roles": ["prosecutor"],
        "estimated_hours": 3,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-203-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung:</p><ul><li>xác định tội danh và "
                            "khung hình phạt trong các vụ án liên quan đến mại dâm và mua bán "
                            "người;</li><li>thu thập, đánh giá chứng cứ ngoài lời khai của nạn "
                            "nhân;</li><li>nguyên tắc không trừng phạt nạn nhân đối với hành vi là "
                            "hệ quả trực tiếp của việc bị mua bán;</li><li>hợp tác quốc tế trong "
                            "các vụ án có yếu tố nước ngoài.</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "code": "PCMD-204",
        "title": "Xét xử vụ án liên quan đến mại dâm có bị hại dưới 18 tuổi",
        "summary": (
            "Dành cho thẩm phán và hội thẩm nhân dân: thủ tục xét xử khi có người dưới 18 tuổi, "
            "phòng xử án thân thiện, đánh giá “sự đồng ý” của nạn nhân và quyết định hình phạt."
        ),
        "target_job_roles": ["judge", "peoples_juror"],
        "estimated_hours": 3,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-204-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung:</p><ul><li>xét xử vụ án có "
                            "người dưới 18 tuổi tham gia; xét xử kín, tuyên án công khai khi bị "
                            "hại dưới 18 tuổi bị xâm hại tình dục hoặc bị mua bán;</li><li>tổ chức "
                            "phòng xử án thân thiện;</li><li>đánh giá “sự đồng ý” của nạn nhân "
                            "(Nghị định thư Palermo, Điều 3);</li><li>quyết định hình phạt trong "
                            "các vụ án liên quan đến mại dâm và mua bán người.</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "code": "PCMD-205",
        "title": "Bảo vệ và hỗ trợ nạn nhân",
        "summary": (
            "Các nguyên tắc và kỹ năng bảo vệ nạn nhân, nhất là người dưới 18 tuổi, trong suốt quá "
            "trình phát hiện, tố tụng và tái hòa nhập."
        ),
        "target_job_roles": [
            "inspection_team_member",
            "investigator",
            "prosecutor",
            "judge",
            "peoples_juror",
            "social_work",
        ],
        "estimated_hours": 3,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-205-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung:</p><ul><li>lợi ích tốt nhất của "
                            "trẻ em trong mọi quyết định;</li><li>cách tiếp cận lấy nạn nhân làm "
                            "trung tâm trong từng khâu công tác;</li><li>mười nguyên tắc của WHO "
                            "(2003) về đạo đức và an toàn khi phỏng vấn, bắt đầu từ nguyên tắc "
                            "“Không gây hại”;</li><li>bảo mật thông tin nạn nhân (Luật số "
                            "53/2024/QH15);</li><li>hỗ trợ tái hòa nhập cộng đồng.</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "code": "PCMD-206",
        "title": "Giới, bạo lực trên cơ sở giới và giảm tác hại",
        "summary": (
            "Phòng, chống bạo lực đối với người bán dâm, dự phòng HIV và các bệnh lây truyền qua "
            "đường tình dục, vai trò của nhóm đồng đẳng và giảm kỳ thị."
        ),
        "target_job_roles": ["social_work", "inspection_team_member", "investigator"],
        "estimated_hours": 2,
        "lessons": [
            {
                "title": "Giới thiệu khóa học (bản giữ chỗ)",
                "slug": "pcmd-206-gioi-thieu-ban-giu-cho",
                "estimated_minutes": 10,
                "body": [
                    (
                        "callout",
                        {
                            "kind": "caution",
                            "title": "Nội dung đang được biên soạn",
                            "text": (
                                "<p>Khóa học này là bản giữ chỗ trong chương trình đào tạo mẫu. "
                                "Nội dung chi tiết đang được biên soạn và sẽ được cập nhật sau khi "
                                "được thẩm định chuyên môn.</p>"
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Khóa học dự kiến gồm các nội dung, xây dựng trên mục tiêu thứ ba "
                            "của Chương trình 361 (Quyết định 361/QĐ-TTg):</p><ul><li>bạo lực trên "
                            "cơ sở giới đối với người bán dâm và trách nhiệm của cơ quan thực thi "
                            "pháp luật;</li><li>can thiệp giảm tác hại, dự phòng lây nhiễm HIV và "
                            "các bệnh lây truyền qua đường tình dục;</li><li>nhóm đồng đẳng, nhóm "
                            "tự lực, câu lạc bộ của người bán dâm và đối thoại với cơ quan thực "
                            "thi chính sách;</li><li>nhận diện và giảm kỳ thị trong công tác hằng "
                            "ngày.</li></ul>"
                        ),
                    ),
                ],
            },
        ],
    },
]

ROLE_PATHS = [
    {
        "job_role": "inspection_team_member",
        "name": "Lộ trình cho thành viên Đội kiểm tra liên ngành",
        "description": (
            "Kiến thức nền tảng, nghiệp vụ kiểm tra cơ sở kinh doanh dịch vụ có nguy cơ, nhận diện "
            "và chuyển gửi nạn nhân, phòng, chống bạo lực đối với người bán dâm."
        ),
        "due_days": 90,
        "courses": ["PCMD-101", "PCMD-201", "PCMD-205", "PCMD-206"],
    },
    {
        "job_role": "investigator",
        "name": "Lộ trình cho điều tra viên",
        "description": (
            "Kiến thức nền tảng, điều tra các vụ án liên quan đến mại dâm và mua bán người, lấy "
            "lời khai thân thiện và bảo vệ nạn nhân."
        ),
        "due_days": 90,
        "courses": ["PCMD-101", "PCMD-202", "PCMD-205"],
    },
    {
        "job_role": "prosecutor",
        "name": "Lộ trình cho kiểm sát viên",
        "description": (
            "Kiến thức nền tảng, thực hành quyền công tố, kiểm sát điều tra và bảo vệ nạn nhân "
            "trong các vụ án liên quan đến mại dâm."
        ),
        "due_days": 90,
        "courses": ["PCMD-101", "PCMD-203", "PCMD-205"],
    },
    {
        "job_role": "judge",
        "name": "Lộ trình cho thẩm phán",
        "description": (
            "Kiến thức nền tảng, xét xử vụ án có bị hại dưới 18 tuổi và các biện pháp bảo vệ nạn "
            "nhân tại phiên tòa."
        ),
        "due_days": 90,
        "courses": ["PCMD-101", "PCMD-204", "PCMD-205"],
    },
    {
        "job_role": "peoples_juror",
        "name": "Lộ trình cho hội thẩm nhân dân",
        "description": (
            "Kiến thức nền tảng, thủ tục xét xử vụ án có người dưới 18 tuổi và bảo vệ nạn nhân tại "
            "phiên tòa."
        ),
        "due_days": 90,
        "courses": ["PCMD-101", "PCMD-204", "PCMD-205"],
    },
    {
        "job_role": "social_work",
        "name": "Lộ trình cho cán bộ công tác xã hội",
        "description": (
            "Kiến thức nền tảng, bảo vệ và hỗ trợ nạn nhân, giảm tác hại và phòng, chống bạo lực "
            "trên cơ sở giới đối với người bán dâm."
        ),
        "due_days": 120,
        "courses": ["PCMD-101", "PCMD-205", "PCMD-206"],
    },
]
