"""What a decision remembers of the policy it read (see `chatdong.policy.read`)."""


class VersionsUsed(dict):
    """The `PolicyThreshold` version of each key read, by key (the last read of a key wins)."""

    def ids(self) -> dict[str, int]:
        """{key: version id}: what Care SOS plans and reporter rewards store."""
        return {key: row.pk for key, row in self.items()}

    def snapshot(self) -> dict[str, dict]:
        """{key: {"id", "value", "valid_from"}}: what sweep runs store, readable without a join."""
        return {
            key: {"id": row.pk, "value": row.value, "valid_from": row.valid_from.isoformat()}
            for key, row in self.items()
        }
