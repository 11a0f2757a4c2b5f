"""figure_links.py: a compared change takes its count's event, a count told again later
keeps the event of its first telling."""
from conftest import run


def _figs(text):
    return [(f.surface, f.status) for f in run(text).figures]


def test_restated_count_keeps_first_event():
    # the people commended, told again at the meeting: still the commended ones
    got = _figs("Tổng Bí thư đã tặng hoa chúc mừng 392 đảng viên trẻ tiêu biểu. "
                "392 đảng viên trẻ có mặt trong buổi gặp mặt lần này.")
    assert got == [("392", "commended"), ("392", "commended")]


def test_restatement_only_after_the_telling():
    # told first with no event, the count keeps its own status (no look ahead)
    got = _figs("392 đảng viên trẻ có mặt trong buổi gặp mặt lần này. Trước đó, Tổng Bí thư "
                "đã tặng hoa chúc mừng 392 đảng viên trẻ tiêu biểu.")
    assert got[0] == ("392", "other")


def test_a_stock_stays_a_stock():
    got = _figs("Năm 2023, huyện khen thưởng 12 chi bộ. Huyện hiện có 12 chi bộ trực thuộc.")
    assert got == [("12", "commended"), ("12", None)]


def test_two_events_for_one_value_leave_it():
    # the article gives 20 two events: a later bare 20 is neither
    got = _figs("Năm 2023, huyện kết nạp 20 đảng viên, khen thưởng 20 đảng viên. "
                "20 đảng viên có mặt tại buổi lễ.")
    assert got[-1] == ("20", "other")


def test_compared_change_takes_a_sums_entity():
    doc = run("Thu ngân sách ước thực hiện 17.198 tỷ đồng, tăng 22,4% so với cùng kỳ.")
    change = [f for f in doc.figures if f.surface == "22,4%"][0]
    assert change.kind == "change" and change.entity == "money"
