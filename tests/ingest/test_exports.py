"""Telegram Desktop exports and Facebook/Instagram "download your information" exports."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.workspace import Workspace


def test_telegram_messages_entities_forwards_and_media(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "telegram"])
    assert_accounted(summary, workspace)
    # four messages and the photo file of the export (a loose image as well as the message's photo)
    assert (summary.read, summary.stored, summary.quarantined) == (5, 4, 1)
    messages = {row["source_id"]: row for row in rows(workspace, "posts")}
    first = messages["1734598201/101"]
    assert first["platform"] == "telegram" and first["kind"] == "message" and first["title"] == "Work Abroad Fast"
    assert first["posted_at"].isoformat() == "2024-03-01T09:15:00+00:00"
    assert json.loads(str(first["metadata"]))["phones"] == ["+32 470 12 34 56"]
    second = messages["1734598201/102"]
    assert second["text"] == "Write to @travel_desk or see https://example.org/jobs or here"
    meta = json.loads(str(second["metadata"]))
    assert meta["forwarded_from"] == "Travel Desk" and meta["mentions"] == ["@travel_desk"]
    assert meta["links"] == ["https://example.org/jobs", "https://example.org/apply"]
    assert len(second["images"]) == 1
    images = rows(workspace, "images")
    assert {row["post_id"] for row in images} == {None, second["post_id"]} and images[0]["format"] == "jpeg"
    assert json.loads(str(messages["1734598201/103"]["metadata"]))["service_action"] == "pin_message"
    assert "neither text nor media" in str(quarantine_entries(workspace)[0]["reason"])


def test_a_multi_chat_export_reads_every_chat(workspace: Workspace, tmp_path: Path) -> None:
    chat = {"name": "A", "type": "private_group", "id": 1, "messages": [{"id": 1, "type": "message", "text": "hi"}]}
    other = {**chat, "name": "B", "id": 2}
    export = {"about": "Telegram export", "chats": {"about": "", "list": [chat, other]}, "left_chats": {"list": []}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), "utf-8")
    summary = ingest(workspace, [path])
    assert summary.stored == 2
    assert {row["title"] for row in rows(workspace, "posts")} == {"A", "B"}


def test_facebook_export_mojibake_is_repaired_and_media_stored(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "facebook"])
    assert_accounted(summary, workspace)
    # three posts and the media file; the profile file holds no records (it is kept as evidence)
    assert (summary.read, summary.stored, summary.quarantined) == (4, 3, 1)
    posts = sorted(rows(workspace, "posts"), key=lambda row: row["posted_at"])
    assert len(posts) == 2
    assert posts[0]["text"] == "Transport Calais → Dover, départ ce soir. WhatsApp +33 6 12 34 56 78"
    assert posts[0]["title"] == "Jean Dupont a publié dans Voyages." and posts[0]["platform"] == "facebook"
    assert posts[0]["url"] == "https://example.org/trip" and len(posts[0]["images"]) == 1
    assert posts[1]["text"] == "Plain ASCII post about a room for rent"


def test_instagram_posts_are_read(workspace: Workspace, samples: Path, tmp_path: Path) -> None:
    folder = tmp_path / "instagram-export" / "your_instagram_activity" / "content"
    folder.mkdir(parents=True)
    (folder / "posts_1.json").write_bytes((samples / "instagram_posts_1.json").read_bytes())
    summary = ingest(workspace, [tmp_path / "instagram-export"])
    assert summary.stored == 2
    texts = sorted(str(row["text"]) for row in rows(workspace, "posts"))
    assert texts == ["New in Antwerp 😍 DM for prices", "Second post caption"]
    assert {row["platform"] for row in rows(workspace, "posts")} == {"instagram"}
