"""People's names as staff read them: Chinese names family name first and unspaced (李主编),
others given name first (Wang Lei), the user name when no name is set."""

import unicodedata


def _is_cjk(text):
    return any(unicodedata.name(char, "").startswith("CJK") for char in text)


def display_name(user, fallback=None):
    """``user``'s name: "李主编" for last name 李 and first name 主编, "Anna Li" for Anna/Li;
    ``fallback`` (default: the user name) without a name, "—" without a user."""
    if user is None:
        return "—"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first or last:
        if _is_cjk(first + last):
            return f"{last}{first}"
        return " ".join(part for part in (first, last) if part)
    return user.get_username() if fallback is None else fallback
