"""Community influence on revenue and cost: multi-touch attribution of outcomes to touchpoints
(``models``), engaged vs matched accounts (``matching``), support-deflection savings
(``deflection``), and community posts as touchpoints (``touchpoints``). Pure functions over pandas.
"""
