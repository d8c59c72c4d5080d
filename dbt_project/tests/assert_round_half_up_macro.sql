-- round_half_up rounds half away from zero on the decimal value, not the binary double.
with

cases as (
    select
        cases.input_value,
        cases.expected
    from (
        values
        (2.675::double, 2.68::decimal(38, 2)),
        (0.125::double, 0.13::decimal(38, 2)),
        (1.005::double, 1.01::decimal(38, 2)),
        (1.2345::double, 1.23::decimal(38, 2)),
        (0.0049::double, 0.00::decimal(38, 2)),
        (-2.675::double, -2.68::decimal(38, 2)),
        (12345678.905::double, 12345678.91::decimal(38, 2))
    ) as cases (input_value, expected)
)

select
    cases.input_value,
    cases.expected,
    {{ round_half_up('cases.input_value', 2) }} as actual
from cases
where {{ round_half_up('cases.input_value', 2) }} <> cases.expected
