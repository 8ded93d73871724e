from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django.utils.timezone import localtime

from luoshi.api.models import ApiToken
from luoshi.api.services import token_create, token_revoke


class Command(BaseCommand):
    help = (
        "Create, list and revoke personal API tokens. "
        "Example: luoshi token create zhangsan --name 'weekly export'; "
        "luoshi token list zhangsan; luoshi token revoke 7"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Make a token for USERNAME and print it (shown only this once)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for, shown in lists")
        create.add_argument(
            "--days", type=int, default=None,
            help="Days until the token expires (default LUOSHI_API_TOKEN_DAYS, 180)",
        )
        listing = actions.add_parser("list", help="List USERNAME's tokens")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke the token with this ID (from `token list`)")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        if action == "create":
            if options["days"] is not None and options["days"] < 1:
                raise CommandError("--days must be at least 1")
            token, raw = token_create(user=self._user(options["username"]), name=options["name"], days=options["days"])
            self.stderr.write(
                f"Token {token.pk} for {token.user.username}, valid until "
                f"{localtime(token.expires):%Y-%m-%d %H:%M}; it is not shown again:"
            )
            self.stdout.write(raw)
        elif action == "list":
            for token in ApiToken.objects.filter(user=self._user(options["username"])):
                if token.revoked:
                    state = f"revoked {localtime(token.revoked):%Y-%m-%d %H:%M}"
                else:
                    state = "expired" if token.is_expired else "active"
                last_used = f"{localtime(token.last_used):%Y-%m-%d %H:%M}" if token.last_used else "never used"
                self.stdout.write(
                    f"{token.pk}\t{token.prefix}…\t{token.name or '-'}\t"
                    f"created {localtime(token.created):%Y-%m-%d %H:%M}\t"
                    f"expires {localtime(token.expires):%Y-%m-%d %H:%M}\t{last_used}\t{state}"
                )
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"No token with ID {options['id']}")
            was_revoked = token.revoked is not None
            token_revoke(token=token)
            self.stdout.write(
                f"Token {token.pk} ({token.prefix}…) was already revoked"
                if was_revoked
                else f"Revoked token {token.pk} ({token.prefix}…) of {token.user.username}"
            )

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}") from None
