"""A question as served in one attempt (pure, no ORM).

An attempt item points at the immutable ``QuestionVersion`` it served (its ``content``: stem, case
scenario, options in authoring order with their key and explanations, references) and keeps its own
``layout``: the order the options (and matching prompts) were shown in, with the opaque ids this
attempt gave them::

    {"o": [[2, "9f1c03ab"], [0, "41d2e7c0"], ...],   # option index in content, id shown
     "p": [[1, "c3a900fe"], ...]}                    # matching: index of the option whose prompt it is

Ids are random per attempt, so they reveal neither correctness nor authoring order. From content
and layout come what the learner sees (``public``), the key (``key``) and, after grading or a lock,
the feedback (``feedback``).
"""

from __future__ import annotations

import random
import secrets


def _token(used: set[str]) -> str:
    while True:
        token = secrets.token_hex(4)
        if token not in used:
            used.add(token)
            return token


def make_layout(content: dict, rng: random.Random) -> dict:
    used: set[str] = set()
    order = list(range(len(content["options"])))
    rng.shuffle(order)
    layout: dict = {"o": [[i, _token(used)] for i in order], "p": []}
    if content["type"] == "matching":
        prompts = [i for i, o in enumerate(content["options"]) if o["prompt"]]
        rng.shuffle(prompts)
        layout["p"] = [[i, _token(used)] for i in prompts]
    return layout


def choose_count(content: dict) -> int | None:
    if content["type"] != "multiple_response":
        return None
    return sum(1 for o in content["options"] if o["is_correct"])


def public(content: dict, layout: dict) -> dict:
    """What the learner may see while the attempt runs: no key, no explanation."""
    options = content["options"]
    return {
        "type": content["type"],
        "stem": content["stem"],
        "case": content.get("case"),
        "options": [{"id": token, "text": options[i]["text"]} for i, token in layout["o"]],
        "prompts": [{"id": token, "text": options[i]["prompt"]} for i, token in layout["p"]],
        "choose": choose_count(content),
    }


def key(content: dict, layout: dict) -> dict:
    """The correct answer in the shape of an answer, with this attempt's ids."""
    options = content["options"]
    qtype = content["type"]
    if qtype in ("multiple_choice", "multiple_response"):
        return {"selected": [token for i, token in layout["o"] if options[i]["is_correct"]]}
    if qtype == "ordering":
        return {"order": [token for i, token in sorted(layout["o"], key=lambda pair: options[pair[0]]["position"])]}
    option_token = dict(layout["o"])
    return {"matches": {token: option_token[i] for i, token in layout["p"]}}


def feedback(content: dict, layout: dict) -> dict:
    """The key, every option's explanation and the references (after grading or a lock)."""
    options = content["options"]
    prompt_token = dict(layout["p"])
    return {
        "key": key(content, layout),
        "options": [
            {
                "id": token,
                "text": options[i]["text"],
                "correct": options[i]["is_correct"] if content["type"] in ("multiple_choice", "multiple_response")
                else None,
                "position": options[i]["position"],
                "prompt_id": prompt_token.get(i),
                "explanation": options[i]["explanation"],
            }
            for i, token in layout["o"]
        ],
        "explanation": content["explanation"],
        "references": content.get("references", []),
    }  # fmt: skip
