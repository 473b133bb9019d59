def seed() -> str:
    return ""
