"""Worker start-up warm-ups: the certificate renderer's font set-up happens at start, and a
broken warm-up never stops a worker from starting."""

import runpy
from pathlib import Path

from certificates import pdf
from ops.warmup import run_warm_ups


def test_the_certificate_fonts_are_set_up_when_a_worker_starts(settings, monkeypatch):
    monkeypatch.setattr(pdf, "_font_config", None)
    settings.WORKER_WARM_UPS = ["certificates.pdf.warm_up"]

    timings = run_warm_ups()

    assert timings["certificates.pdf.warm_up"] is not None
    assert pdf._font_config is not None  # what the first certificate will reuse


def test_a_failing_warm_up_is_logged_and_skipped(settings, caplog):
    settings.WORKER_WARM_UPS = ["ops.warmup.does_not_exist", "certificates.pdf.font_configuration"]

    timings = run_warm_ups()

    assert timings["ops.warmup.does_not_exist"] is None
    assert timings["certificates.pdf.font_configuration"] is not None
    assert "warm-up ops.warmup.does_not_exist failed" in caplog.text


def test_gunicorn_and_the_task_worker_run_the_warm_ups():
    config = runpy.run_path(str(Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py"))
    worker_source = (
        Path(__file__).parents[2] / "ops" / "management" / "commands" / "run_worker.py"
    ).read_text()

    assert "run_warm_ups" in config["post_worker_init"].__code__.co_names
    assert "run_warm_ups()" in worker_source
