"""The checks of the exercises of chapters 5 to 7 (book/checks_real_data.py): right answers
accepted, and a message that names each typical mistake. The checks that rest on the data are
compared with the data in test_movielens.py."""

from __future__ import annotations

from exercises import exercise


def test_chapter_5_exercises():
    parameters = exercise("ch5-parameters")
    assert parameters.problems((600 + 1 + 8000 + 1) * 17) == []
    assert "out-of-vocabulary row" in parameters.problems((600 + 8000) * 17)[0]
    assert "bias tables" in parameters.problems((600 + 8000 + 2) * 16)[0]
    assert "whole number" in parameters.problems(1.5)[0]
    neighbour = exercise("ch5-neighbour")
    assert neighbour.problems(("B", "C")) == []
    assert neighbour.problems(["b", " c"]) == []
    assert "compare the angles" in neighbour.problems(("C", "C"))[0]
    assert "Euclidean distance" in neighbour.problems(("B", "B"))[0]
    assert "two letters" in neighbour.problems("BC")[0]


def test_chapter_6_exercises():
    rows = exercise("ch6-rows-moved")
    assert rows.problems({3, 5, 8}) == []
    assert rows.problems([8, 3, 5, 3]) == []
    assert "not in the batch" in rows.problems({3, 5, 8, 0})[0]
    assert "rows [8] are looked up" in rows.problems({3, 5})[0]
    assert "set of row numbers" in rows.problems("358")[0]
    trainable = exercise("ch6-trainable")
    assert trainable.problems((33, 7158 * 32 + 33)) == []
    assert "has a bias" in trainable.problems((32, 7158 * 32 + 33))[0]
    assert "fine-tuned" in trainable.problems((33, 7158 * 32))[0]
    assert "two numbers" in trainable.problems(33)[0]


def test_chapter_6_which_rows_exercise():
    which = exercise("ch6-which-rows")
    assert which.problems(("d", "b")) == []
    assert which.problems(["(D)", " b "]) == []                 # case, spaces, brackets
    assert "other genres are in the fine-tuning data" in which.problems(("b", "b"))[0]
    assert "no genre label" in which.problems(("e", "b"))[0]
    assert "bring nothing" in which.problems(("d", "d"))[0]
    assert "used to choose, not to train" in which.problems(("d", "c"))[0]
    both_wrong = which.problems(("a", "a"))
    assert len(both_wrong) == 2 and both_wrong[0].startswith("shared")
    assert both_wrong[1].startswith("disjoint")
    assert "one of the letters" in which.problems(("f", "b"))[0]
    for not_a_pair in ("db", {"d", "b"}, ("d",), ("d", "b", "a")):
        assert "(shared, disjoint)" in which.problems(not_a_pair)[0], not_a_pair


def test_chapter_6_adam_scale_exercise():
    scale = exercise("ch6-adam-scale")
    assert scale.problems(({"b"}, {"a", "b", "c"})) == []
    assert scale.problems((["B"], "abc")) == []                 # lists and strings of letters
    assert scale.problems(("b", "a, b, c")) == []
    too_many = scale.problems(({"a", "b", "c"}, {"a", "b", "c"}))
    assert len(too_many) == 2 and all("the scale cancels" in p for p in too_many)
    assert "multiplies Adam's step directly" in scale.problems((set(), {"a", "b", "c"}))[0]
    assert scale.problems(({"b"}, {"b", "c"}))[0].startswith("SGD: (a)")
    assert "one of the letters a, b, c" in scale.problems(({"d"}, {"a"}))[0]
    assert "two sets of letters" in scale.problems({"b"})[0]
    assert "set of letters" in scale.problems((1, {"a"}))[0]


def test_chapter_7_exercises():
    collisions = exercise("ch7-collisions")
    assert collisions.problems(1 - (1 - 1 / 10_000) ** 999) == []
    assert "approximation" in collisions.problems(0.1)[0]
    assert "999 others" in collisions.problems(0.5)[0]
    assert "one number" in collisions.problems("0.095")[0]
    memory = exercise("ch7-table-memory")
    assert memory.problems((2.56, 7.68)) == []
    assert "4 bytes" in memory.problems((5.12, 7.68))[0]
    assert "looks like bytes" in memory.problems((2.56e9, 7.68e9))[0]
    assert "two moment tables" in memory.problems((2.56, 5.12))[0]
    assert "two numbers" in memory.problems(2.56)[0]
    assert "two numbers" in memory.problems(("a", "b"))[0]
