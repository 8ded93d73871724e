"""Channels: what a supervisor may configure, and what the senders put on the wire."""
import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from luoshi.audit.models import AuditEntry
from luoshi.tracking import channels
from luoshi.tracking.models import Channel
from luoshi.tracking.services import channel_create
from luoshi.tracking.tests.receiver import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    "url",
    ["ftp://oapi.dingtalk.com/robot/send", "file:///etc/passwd", "javascript:alert(1)", "oapi.dingtalk.com/robot"],
)
def test_a_webhook_url_that_is_not_http_is_refused_with_a_clear_message(url):
    with pytest.raises(ValidationError) as refused:
        channel_create(actor=None, kind=Channel.Kind.DINGTALK, name="督查群", webhook_url=url)
    assert refused.value.message_dict["webhook_url"] == [
        f"Webhook 地址必须以 http:// 或 https:// 开头，“{url}”不符合要求。"
    ]
    assert not Channel.objects.exists()


def test_a_malformed_http_url_is_refused():
    with pytest.raises(ValidationError) as refused:
        channel_create(actor=None, kind=Channel.Kind.WECOM, name="督查群", webhook_url="http://")
    assert "不是有效的网址" in refused.value.message_dict["webhook_url"][0]


def test_a_valid_channel_is_saved_and_audited_without_its_secret(receiver):
    channel = channel_create(
        actor=None, kind=Channel.Kind.DINGTALK, name="督查群", webhook_url=receiver.url, secret="SECabc"
    )
    entry = AuditEntry.objects.get(object_id=str(channel.id), action="channel.create")
    assert entry.after == {"kind": "dingtalk", "name": "督查群", "webhook_url": receiver.url, "signed": True}


def test_a_robot_needs_a_url_and_only_dingtalk_takes_a_secret():
    with pytest.raises(ValidationError) as refused:
        channel_create(actor=None, kind=Channel.Kind.WECOM, name="企微群")
    assert "webhook_url" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        channel_create(
            actor=None, kind=Channel.Kind.WECOM, name="企微群", webhook_url="https://qyapi.weixin.qq.com/x", secret="s"
        )
    assert "secret" in refused.value.message_dict


def test_an_email_channel_has_no_url():
    with pytest.raises(ValidationError):
        channel_create(actor=None, kind=Channel.Kind.EMAIL, name="邮件", webhook_url="https://example.com/")
    assert channel_create(actor=None, kind=Channel.Kind.EMAIL, name="邮件").kind == "email"


def test_the_dingtalk_signature_follows_the_documented_algorithm():
    # DingTalk's documentation: sign = urlencode(base64(HMAC-SHA256(key=secret,
    # msg=timestamp + "\n" + secret))).
    url = channels.dingtalk_signed_url(
        url="https://oapi.dingtalk.com/robot/send?access_token=abc", secret="SECxyz", timestamp_ms=1700000000000
    )
    query = parse_qs(urlsplit(url).query)
    expected = base64.b64encode(
        hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()
    ).decode()
    assert query == {"access_token": ["abc"], "timestamp": ["1700000000000"], "sign": [expected]}
    assert "+" not in url.split("sign=")[1] and "/" not in url.split("sign=")[1]


def test_the_signature_starts_the_query_when_the_url_has_none():
    url = channels.dingtalk_signed_url(url="http://127.0.0.1:9/robot", secret="s", timestamp_ms=1)
    assert url.startswith("http://127.0.0.1:9/robot?timestamp=1&sign=")


def test_a_dingtalk_robot_receives_markdown(receiver):
    channels.send_dingtalk(url=receiver.url, secret="", subject="催办提醒", body="请于 **3月5日** 前报送。", timestamp_ms=1, key="k")
    (received,) = receiver.received
    assert received.path == "/robot/send"
    assert received.query == {"access_token": "t0ken"}
    assert received.content_type == "application/json; charset=utf-8"
    assert received.json == {
        "msgtype": "markdown",
        "markdown": {"title": "催办提醒", "text": "### 催办提醒\n\n请于 **3月5日** 前报送。"},
    }


def test_a_wecom_robot_receives_markdown_cut_to_its_limit(receiver):
    channels.send_wecom(url=receiver.url, subject="督办通知", body="落实" * 3000, key="k")
    content = receiver.received[0].json["markdown"]["content"]
    assert receiver.received[0].json["msgtype"] == "markdown"
    assert content.startswith("**督办通知**\n\n落实")
    assert len(content.encode()) <= channels.WECOM_MAX_BYTES
    assert content.endswith("…")


@pytest.mark.parametrize(
    ("status", "payload", "error"),
    [
        (500, {}, "HTTP 500"),
        (200, {"errcode": 310000, "errmsg": "sign not match"}, "errcode 310000: sign not match"),
        (200, {"ok": True}, "unexpected answer"),
    ],
)
def test_a_robot_that_does_not_answer_errcode_0_is_a_failure(receiver, status, payload, error):
    receiver.answer(Answer(status=status, payload=payload))
    with pytest.raises(channels.DeliveryError, match=error):
        channels.send_wecom(url=receiver.url, subject="s", body="b", key="k")


def test_a_slow_robot_times_out(receiver, monkeypatch):
    monkeypatch.setattr(channels, "TIMEOUT_SECONDS", 0.2)
    receiver.answer(Answer(delay=1, payload={"errcode": 0}))
    with pytest.raises(channels.DeliveryError, match="no answer from the webhook"):
        channels.send_wecom(url=receiver.url, subject="s", body="b", key="k")


def test_a_sender_never_opens_a_non_http_url(tmp_path):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text('{"errcode": 0}')
    with pytest.raises(channels.DeliveryError, match="http://"):
        channels.send_wecom(url=secret_file.as_uri(), subject="s", body="b", key="k")
