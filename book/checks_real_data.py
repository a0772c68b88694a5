"""The checks of the exercises of chapters 5 to 7, on real data: each takes a student's answer
and returns what is wrong with it, an empty list when it is right. It imports NumPy and the
book's answers.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from answers import answer_number, kind_of, letter_set, two_letters, two_numbers


# --------------------------------------------------------------------------
# Chapter 5: entity embeddings
# --------------------------------------------------------------------------

def check_parameters_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the number of weights")
    if problems:
        return problems
    if answer != int(answer) or answer < 0:
        return [f"the answer should be one whole number of weights, at least 0; got {answer!r}"]
    with_oov, without_oov = (600 + 8000 + 2) * 17, (600 + 8000) * 17
    if answer == without_oov:
        return ["each table also has the out-of-vocabulary row, one more row per table"]
    if answer == (600 + 8000 + 2) * 16:
        return ["the two bias tables (width 1) hold weights too"]
    if answer != with_oov:
        return [f"{int(answer):,} is not the count; add up the rows times the widths of all "
                "four tables"]
    return []


def check_neighbour_exercise(answer: Any) -> list[str]:
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if (not isinstance(answer, (tuple, list)) or len(answer) != 2
            or not all(isinstance(letter, str) for letter in answer)):
        got = kind_of(answer)
        if isinstance(answer, (tuple, list)) and len(answer) == 2:
            got += ", not both strings"
        return [f"the answer should be two letters, for example (\"B\", \"C\"); got {got}"]
    by_cosine, by_distance = (letter.strip().upper() for letter in answer)
    not_films = [letter for letter in (by_cosine, by_distance) if letter not in ("B", "C", "D")]
    if not_films:
        return [f"{not_films[0]!r} is not one of A's possible neighbours, the films B, C and D"]
    problems = []
    if by_cosine != "B":
        problems.append(f"by cosine the nearest is not {by_cosine}: compare the angles, "
                        "not the lengths")
    if by_distance != "C":
        problems.append(f"by Euclidean distance the nearest is not {by_distance}: compute "
                        "|A - X| for each X")
    return problems


# Chapter 5's cold-start exercise: the shares of test ratings from new users and of new films
# after the cut of cut_dates(ratings, (0.6, 0.2, 0.2)). tests/test_movielens.py recomputes
# them from the data.
_COLD_SHARES_60 = (0.9208, 0.4218)        # new user (with or without a new film), new film
_COLD_ONLY_60 = (0.5653, 0.0662)          # "new user" alone, "new film" alone
_COLD_SHARES_80 = (0.9028, 0.2239)        # the chapter's own 80/10/10 cut


def check_cold_share_exercise(answer: Any) -> list[str]:
    pair, problems = two_numbers(answer, ("the share from new users", "the share of new films"))
    if problems:
        return problems
    users, films = pair

    def near(value, target):
        return abs(value - target) < 0.002

    if any(value > 1 or value < 0 for value in pair):
        if all(0 <= value <= 100 for value in pair) and near(users / 100, _COLD_SHARES_60[0]) \
                and near(films / 100, _COLD_SHARES_60[1]):
            return ["give the shares as fractions between 0 and 1, not as percentages"]
        return ["a share is a fraction between 0 and 1"]
    if near(users, _COLD_SHARES_60[1]) and near(films, _COLD_SHARES_60[0]):
        return ["the two shares are swapped: new users first, then new films"]
    if near(users, _COLD_SHARES_80[0]) and near(films, _COLD_SHARES_80[1]):
        return ["these are the shares of the chapter's 80/10/10 cut; make the cut with "
                "cut_dates(ratings, (0.6, 0.2, 0.2))"]
    problems = []
    if near(users, _COLD_ONLY_60[0]):
        problems.append("the share from new users leaves out the ratings of a new film by a new "
                        "user; they count in both shares")
    elif not near(users, _COLD_SHARES_60[0]):
        problems.append(f"{users:g} is not the share of test ratings whose user has no training "
                        "rating; count the labels 'new user' and 'new user and film' of "
                        "cold_start(test, train)")
    if near(films, _COLD_ONLY_60[1]):
        problems.append("the share of new films leaves out the ratings of a new film by a new "
                        "user; they count in both shares")
    elif not near(films, _COLD_SHARES_60[1]):
        problems.append(f"{films:g} is not the share of test ratings whose film has no training "
                        "rating; count the labels 'new film' and 'new user and film'")
    return problems


_WIDTH_TABLE = {4: (0.9012, 0.9131), 16: (0.8968, 0.9102), 64: (0.8975, 0.9089),
                256: (0.8991, 0.9107)}   # width: (validation RMSE, test RMSE)


def check_choose_width_exercise(answer: Any) -> list[str]:
    pair, problems = two_numbers(answer, ("the width", "the test RMSE"))
    if problems:
        return problems
    width, reported = pair
    if width not in _WIDTH_TABLE:
        return [f"{width:g} is not one of the widths in the table: 4, 16, 64 or 256"]
    problems = []
    if width == 64:
        problems.append("d = 64 has the lowest test RMSE, but the test set must not choose: "
                        "choose by the validation RMSE")
    elif width != 16:
        problems.append(f"d = {width:g} does not have the lowest validation RMSE")
    if any(abs(reported - valid) < 5e-5 for valid, _ in _WIDTH_TABLE.values()):
        problems.append("that is a validation RMSE; report the chosen model's test RMSE")
    elif any(abs(reported - test) < 5e-5 for _, test in _WIDTH_TABLE.values()) \
            and abs(reported - _WIDTH_TABLE[width][1]) >= 5e-5:
        problems.append(f"report the test RMSE of the width you chose (d = {width:g}), "
                        "not another model's")
    elif abs(reported - _WIDTH_TABLE[width][1]) >= 5e-5:
        problems.append(f"report the test RMSE of the width you chose (d = {width:g}) as the "
                        "table prints it, to four decimals")
    return problems


# --------------------------------------------------------------------------
# Chapter 6: fine-tuning
# --------------------------------------------------------------------------

def check_rows_moved_exercise(answer: Any) -> list[str]:
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (set, frozenset, list, tuple)):
        return [f"the answer should be a set of row numbers, for example {{0, 1}}; got "
                f"{kind_of(answer)}"]
    given = set()
    for row in answer:
        number, problems = answer_number(row, f"the row {row!r}")
        if problems:
            return problems
        if number != int(number) or not 0 <= number < 10:
            return [f"{number!r} is not a row of the table: rows are whole numbers 0 to 9"]
        given.add(int(number))
    problems = []
    if given - {3, 5, 8}:
        problems.append(f"rows {sorted(given - {3, 5, 8})} are not in the batch, so their "
                        "gradient is zero")
    if {3, 5, 8} - given:
        problems.append(f"rows {sorted({3, 5, 8} - given)} are looked up, so they get a "
                        "gradient")
    return problems


def check_trainable_exercise(answer: Any) -> list[str]:
    counts, problems = two_numbers(answer, ("frozen", "fine-tuned"))
    if problems:
        return problems
    frozen, tuned = counts
    problems = []
    if frozen == 32:
        problems.append("frozen: the output unit has a bias as well as 32 weights")
    elif frozen != 33:
        problems.append(f"frozen: {frozen} is not right; only the output unit learns")
    if tuned != 7158 * 32 + 33:
        problems.append(f"fine-tuned: {tuned} is not right; the table's 7,158 x 32 weights "
                        "learn as well as the output unit")
    return problems


def check_which_rows_exercise(answer: Any) -> list[str]:
    letters, problems = two_letters(answer, ("shared", "disjoint"), "abcde")
    if problems:
        return problems
    shared, disjoint = letters
    why = {
        "e": "a film with no genre label here is in no batch, so its row gets no gradient",
        "a": "the training films are in every batch, so their rows get a gradient and move",
        "c": "the validation films' drama labels are used to choose, not to train; what else "
             "the fine-tuning data hold about them decides",
    }
    problems = []
    if shared != "d":
        problems.append(f"shared: not ({shared}); " + why.get(
            shared, "the validation and test films' other genres are in the fine-tuning "
                    "data too, so their rows get a gradient"))
    if disjoint != "b":
        problems.append(f"disjoint: not ({disjoint}); " + why.get(
            disjoint, "the validation and test films bring nothing to the fine-tuning data, "
                      "so their rows get no gradient"))
    return problems


def check_adam_scale_exercise(answer: Any) -> list[str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return ["the answer should be two sets of letters in order, (Adam, SGD), for example "
                f"({{\"a\"}}, {{\"b\", \"c\"}}); got {kind_of(answer)}"]
    adam, problems = letter_set(answer[0], "the Adam answer")
    if problems:
        return problems
    sgd, problems = letter_set(answer[1], "the SGD answer")
    if problems:
        return problems
    problems = []
    for letter in sorted(adam & {"a", "c"}):
        problems.append(f"Adam: ({letter}) scales the gradient, and Adam divides its running "
                        "mean of the gradient by the root of its running mean square, so the "
                        "scale cancels")
    if "b" not in adam:
        problems.append("Adam: the learning rate multiplies Adam's step directly")
    for letter in sorted({"a", "b", "c"} - sgd):
        problems.append(f"SGD: ({letter}) changes the step too: SGD's step is the learning rate "
                        "times the gradient, and (a) and (c) scale the gradient")
    return problems


def check_advice_exercise(answer: Any) -> list[str]:
    letters, problems = two_letters(answer, ("team 1", "team 2"), "abcd")
    if problems:
        return problems
    first, second = letters
    problems = []
    if first != "b":
        problems.append(f"team 1: not ({first}); " + {
            "a": "Adam with one rate lost to the frozen table when the test films' rows could "
                 "not move",
            "c": "films in no fine-tuning data keep their rows: fine-tuning gained nothing "
                 "measurable over the frozen table there, and costs more",
            "d": "films added next month carry no labels yet to give as inputs"}[first])
    if second != "d":
        problems.append(f"team 2: not ({second}); " + {
            "a": "Adam with one rate did not beat the frozen table on average",
            "b": "these films' other labels are known: the frozen table alone leaves that "
                 "signal unused",
            "c": "it beat the frozen table, but another option beat every fine-tuned arm"}[second])
    return problems


# --------------------------------------------------------------------------
# Chapter 7: the cost of scale
# --------------------------------------------------------------------------


def check_collisions_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the fraction")
    if problems:
        return problems
    if not 0 <= answer <= 1:
        return [f"{answer:g} is not a fraction: a fraction of the categories lies between 0 and 1"]
    expected = 1 - (1 - 1 / 10_000) ** 999
    if np.isclose(answer, 0.1, atol=1e-9) or np.isclose(answer, 1_000 / 10_000, atol=1e-9):
        return ["1,000/10,000 is the expected number of other categories in a row, an "
                "approximation; compute the chance of sharing with at least one of 999 others"]
    if not np.isclose(answer, expected, atol=5e-4):
        return [f"{answer:g} is not it: the chance of avoiding one other category is "
                "1 - 1/10,000, and there are 999 others"]
    return []


def check_table_memory_exercise(answer: Any) -> list[str]:
    pair, problems = two_numbers(answer, ("the table", "table plus Adam's state"))
    if problems:
        return problems
    table, with_adam = pair
    if np.isclose(table, 2.56e9) or np.isclose(table, 5.12e9) or np.isclose(with_adam, 7.68e9):
        return ["this looks like bytes; the answer is in gigabytes (10⁹ bytes): divide by 1e9"]
    problems = []
    if np.isclose(table, 5.12):
        problems.append("float32 has 4 bytes a number, not 8")
    elif not np.isclose(table, 2.56):
        problems.append(f"the table: {table:g} GB is not right; rows x width x bytes per number")
    if not np.isclose(with_adam, 3 * 2.56):
        problems.append(f"with Adam: {with_adam:g} GB is not right; Adam keeps two moment "
                        "tables, each as large as the table")
    return problems
