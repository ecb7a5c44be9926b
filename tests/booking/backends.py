"""Email backends that fail, for the delivery tests."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class AlwaysFails(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


class FailsTwice(LocmemBackend):
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= 2:
            raise TimeoutError("smtp slow")
        return super().send_messages(messages)
