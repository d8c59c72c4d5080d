{#- Fails with every row whose `column_name` is not a whole number (when `where` holds). -#}
{% test whole_number(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} <> floor({{ column_name }})

{% endtest %}
