"""Validating a learner's answer against the question as served (pure, no ORM).

Answers by type: choice types ``{"selected": [option ids]}``, ordering ``{"order": [option ids]}``,
matching ``{"matches": {"<prompt id>": "<option id>"}}``. ``null`` (or an empty selection) clears
the answer. Partial answers are kept (a learner may be mid-way); only impossible ones are refused.
"""

from __future__ import annotations

MAX_LIST = 50  # no question has more options; anything longer is refused before it is examined


class AnswerError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _ids(value: object, name: str) -> list[str]:
    if not isinstance(value, list):
        raise AnswerError(f"'{name}' must be a list of option ids")
    if len(value) > MAX_LIST:
        raise AnswerError(f"'{name}' has {len(value)} entries; this question has far fewer options")
    if not all(isinstance(v, str) for v in value):
        raise AnswerError(f"'{name}' must contain option ids (strings)")
    if len(set(value)) != len(value):
        raise AnswerError(f"'{name}' lists the same option more than once")
    return value


def validate_answer(content: dict, answer: object) -> dict | None:
    """The normalised answer, or ``None`` for "no answer"; raises AnswerError with a message."""
    if answer is None:
        return None
    if not isinstance(answer, dict):
        raise AnswerError('an answer is an object such as {"selected": [...]}, or null to clear it')
    qtype = content["type"]
    option_ids = {o["id"] for o in content["options"]}
    expected = {"multiple_choice": "selected", "multiple_response": "selected", "ordering": "order",
                "matching": "matches"}[qtype]  # fmt: skip
    unknown = set(answer) - {expected}
    if unknown:
        raise AnswerError(f"this {qtype.replace('_', ' ')} question takes only '{expected}' (got {sorted(unknown)})")
    if expected not in answer:
        raise AnswerError(f"this {qtype.replace('_', ' ')} question needs '{expected}'")
    value = answer[expected]
    if qtype in ("multiple_choice", "multiple_response"):
        selected = _ids(value, "selected")
        strangers = [s for s in selected if s not in option_ids]
        if strangers:
            raise AnswerError(f"unknown option id(s) {strangers}: not options of this question")
        if not selected:
            return None
        if qtype == "multiple_choice" and len(selected) != 1:
            raise AnswerError(f"choose exactly one option (got {len(selected)})")
        if qtype == "multiple_response" and len(selected) > content["choose"]:
            raise AnswerError(f"choose at most {content['choose']} options (got {len(selected)})")
        return {"selected": selected}
    if qtype == "ordering":
        order = _ids(value, "order")
        if set(order) != option_ids or len(order) != len(option_ids):
            raise AnswerError(f"'order' must list each of the {len(option_ids)} option ids exactly once")
        return {"order": order}
    if not isinstance(value, dict):
        raise AnswerError("'matches' must be an object mapping prompt ids to option ids")
    if len(value) > MAX_LIST:
        raise AnswerError(f"'matches' has {len(value)} entries; this question has far fewer prompts")
    prompt_ids = {p["id"] for p in content["prompts"]}
    for prompt, option in value.items():
        if prompt not in prompt_ids:
            raise AnswerError(f"unknown prompt id {prompt!r}: not a prompt of this question")
        if not isinstance(option, str) or option not in option_ids:
            raise AnswerError(f"unknown option id {option!r} for prompt {prompt!r}")
    if len(set(value.values())) != len(value):
        raise AnswerError("each answer can be matched to one prompt only")
    return {"matches": dict(value)} if value else None
