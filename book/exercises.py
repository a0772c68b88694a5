"""Exercises that check themselves: the ``Exercise`` class, the ``EXERCISES`` registry of every
chapter's exercises, and ``exercise(label)``, which a chapter calls. It imports the book's
answers.py and the two checks modules, which hold the checks so that a notebook does not show
the answers.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from answers import NOT_SOLVED, kind_of
from checks_real_data import (check_adam_scale_exercise, check_advice_exercise,
                              check_choose_width_exercise, check_cold_share_exercise, check_collisions_exercise,
                              check_neighbour_exercise, check_parameters_exercise,
                              check_rows_moved_exercise, check_table_memory_exercise,
                              check_trainable_exercise, check_which_rows_exercise)
from checks_toy_network import (check_adam_repeat_exercise, check_bias_gradient_exercise,
                                check_cosine_exercise, check_cost_exercise,
                                check_embedding_size_exercise, check_gradient_exercise,
                                check_integer_lookup_exercise, check_one_hot_exercise,
                                check_orthogonal_exercise, check_output_delta_exercise,
                                check_robustness_exercise, check_sum_reduction_exercise)

__all__ = ["Exercise", "EXERCISES", "exercise"]


class Exercise:
    """An exercise whose answer the reader can check, with a hint.

    ``checker(answer)`` returns a list of problems (strings): empty when the
    answer is right.  The solution is explained in the chapter, in a dropdown
    the reader opens on purpose; ``solution`` is the answer exactly as that
    dropdown prints it, so the tests can check that the checker accepts it.
    """

    def __init__(self, title: str, checker: Callable[[Any], Iterable[str]],
                 hint: str, solution: Any = None):
        if not callable(checker):
            raise ValueError("checker must be a function of the answer")
        self.title = title
        self._checker = checker
        self._hint = hint
        self.solution = solution

    def problems(self, answer: Any) -> list[str]:
        """The list of problems with ``answer``; ``["not solved yet"]`` for ``...``."""
        if answer is NOT_SOLVED:
            return ["not solved yet: replace the `...` with your answer"]
        try:
            return [str(p) for p in self._checker(answer)]
        except Exception as error:  # defence in depth: each checker validates its input first
            return [f"could not check this answer ({type(error).__name__}: {error}); "
                    f"is it the kind of value the exercise asks for? Got {kind_of(answer)}"]

    def check(self, answer: Any) -> bool:
        """Print whether ``answer`` is right, and what is wrong if not."""
        problems = self.problems(answer)
        if not problems:
            print(f"Correct! ({self.title})")
            return True
        if answer is NOT_SOLVED:
            print(f"{self.title}: {problems[0]}.")
            return False
        print(f"Not yet right ({self.title}):")
        for problem in problems:
            print(f"  - {problem}")
        return False

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint ({self.title}): {self._hint}")


EXERCISES = {
    "ch1-one-hot": Exercise(
        "one-hot by hand", check_one_hot_exercise,
        "there are 4 rows (one per sample) and 4 columns (one per category); "
        "row r is all zeros except a 1 in the column of sample r's category.",
        solution=[[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]),
    "ch1-gradient": Exercise(
        "the gradient of W0", check_gradient_exercise,
        "the gradient is OneHot(x).T @ delta: row k adds up the delta rows of the "
        "samples whose category is k, and is zero for a category not in the batch.",
        solution=[[0.0, 0.0], [3.0, 4.0], [0.0, 0.0], [6.0, 8.0]]),
    "ch1-cost": Exercise(
        "counting multiply-adds", check_cost_exercise,
        "an (m x n) @ (n x d) product has m*d outputs, each a sum of n products.",
        solution=25_600_000),
    "ch2-output-delta": Exercise(
        "the output delta", check_output_delta_exercise,
        "differentiate 1/2 (y - p)^2 with respect to z, where p = sigmoid(z) and "
        "sigmoid'(z) = p (1 - p); the delta is minus that.",
        solution=[0.009, 0.128]),
    "ch2-bias-gradient": Exercise(
        "the gradient of an output bias", check_bias_gradient_exercise,
        "z = H W1 + b, so dz/db = 1 for every sample: dL/db adds up dL/dz over the samples.",
        solution=-0.14996),
    "ch2-embedding-size": Exercise(
        "two-dimensional embeddings", check_embedding_size_exercise,
        "only the shapes change: init_weights(3, 2, np.random.default_rng(0)), then "
        "train_network with the source's settings, and read .outputs.",
        solution=[0.99786, 0.99798, 0.00139, 0.00139]),
    "ch3-cosine": Exercise(
        "a cosine distance by hand", check_cosine_exercise,
        "cos(u, v) = u . v / (|u| |v|), and the cosine distance is 1 - cos(u, v).",
        solution=1.707),
    "ch3-orthogonal": Exercise(
        "the part the output cannot see", check_orthogonal_exercise,
        "the part of h along W1 is (h . W1 / W1 . W1) W1; subtract it from h.",
        solution=[1, -0.16, 0.12]),
    "ch3-robustness": Exercise(
        "the robustness study at width 30", check_robustness_exercise,
        "span_coordinates turns the 100 starts into width-4 networks, train_runs trains "
        "them all at once; then pair_distances, and the mean of holds over the runs.",
        solution=0.74),
    "ch4-sum-reduction": Exercise(
        "a learning rate for reduction='sum'", check_sum_reduction_exercise,
        "write the Keras loss with reduction='sum' in terms of the NumPy loss "
        "L = 1/2 sum (y - p)^2, then scale the learning rate so that the steps match.",
        solution=0.05),
    "ch4-integer-lookup": Exercise(
        "IntegerLookup by hand", check_integer_lookup_exercise,
        "with one out-of-vocabulary index, IntegerLookup gives index 0 to unknown values "
        "and numbers the vocabulary from 1 in the order given.",
        solution=[2, 0, 1]),
    "ch4-adam-repeat": Exercise(
        "one Adam step with a repeated category", check_adam_repeat_exercise,
        "after one step Adam moves each entry by the learning rate times m / sqrt(v), with m "
        "the gradient and v its square; in which form are the two copies of g added before "
        "they are squared?",
        solution=1.414),
    "ch5-parameters": Exercise(
        "counting the rating model's weights", check_parameters_exercise,
        "four tables: users x d, films x d, users x 1, films x 1, each with one extra row "
        "for out-of-vocabulary ids.",
        solution=146_234),
    "ch5-neighbour": Exercise(
        "cosine against distance", check_neighbour_exercise,
        "cosine similarity depends only on the angle between two vectors; a vector and twice "
        "that vector have cosine similarity 1.",
        solution=("B", "C")),
    "ch5-cold-share": Exercise(
        "the cold share of another cut", check_cold_share_exercise,
        "split = split_at_dates(ratings, *cut_dates(ratings, (0.6, 0.2, 0.2))), then "
        "cold_start(split['test'], split['train']) labels each test rating; a share is the "
        "mean of a True/False column.",
        solution=(0.921, 0.422)),
    "ch5-choose-width": Exercise(
        "choosing a width", check_choose_width_exercise,
        "one set chooses, the other reports: which one may you look at while choosing?",
        solution=(16, 0.9102)),
    "ch6-rows-moved": Exercise(
        "which rows a step moves", check_rows_moved_exercise,
        "the gradient of a lookup is zero for every row that was not looked up.",
        solution={3, 5, 8}),
    "ch6-trainable": Exercise(
        "frozen and trainable weights", check_trainable_exercise,
        "a frozen layer's weights are not updated; a Dense unit on 32 inputs has 32 weights "
        "and a bias.",
        solution=(33, 229_089)),
    "ch6-which-rows": Exercise(
        "which rows fine-tuning moves, in each setting", check_which_rows_exercise,
        "a row moves only if its film is in the fine-tuning data: what do those data hold "
        "about the validation and test films in each setting, and about a film with no "
        "genre label?",
        solution=("d", "b")),
    "ch6-adam-scale": Exercise(
        "what sets the size of Adam's first step", check_adam_scale_exercise,
        "Adam's first step is the learning rate times m / (sqrt(v) + epsilon), where m and v "
        "are running means of the gradient and of its square; SGD's is the learning rate "
        "times the gradient.",
        solution=({"b"}, {"a", "b", "c"})),
    "ch6-advice": Exercise(
        "advice on fine-tuning, from the measurements", check_advice_exercise,
        "for each team, ask whether its films' rows can move during fine-tuning, and what "
        "else is known about those films.",
        solution=("b", "d")),
    "ch7-collisions": Exercise(
        "hash collisions", check_collisions_exercise,
        "the chance that none of the other 999 categories lands in a given row is "
        "(1 - 1/10,000) to the power 999.",
        solution=0.095),
    "ch7-table-memory": Exercise(
        "the memory of a table", check_table_memory_exercise,
        "a float32 number takes 4 bytes; multiply rows, width and 4.",
        solution=(2.56, 7.68)),
}


def exercise(label: str) -> Exercise:
    """The exercise with this label, e.g. ``exercise("ch1-one-hot")``."""
    try:
        return EXERCISES[label]
    except KeyError:
        raise ValueError(
            f"no exercise labelled {label!r}; known labels: {sorted(EXERCISES)}") from None
