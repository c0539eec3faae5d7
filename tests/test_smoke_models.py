from tests.factories import InvoiceFactory, UnitFactory, WorkOrderFactory


def test_numbers_come_from_sequence_and_units_get_codes(app_ctx):
    first, second = WorkOrderFactory(), WorkOrderFactory()
    unit = UnitFactory()
    assert (first.number, second.number) == ("WO-000001", "WO-000002")
    assert InvoiceFactory().number == "INV-000001"
    assert len(unit.qr_token) == 16 and len(unit.label_code) == 9
